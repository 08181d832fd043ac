"""Access-matrix routes of the workbench: analysis."""

from __future__ import annotations

from tests.access_support import Route

ROUTES: dict[str, Route] = {}
