"""Access-matrix routes of dashboards and the program evaluation report."""

from __future__ import annotations

from tests.access_support import Route

ROUTES: dict[str, Route] = {}
