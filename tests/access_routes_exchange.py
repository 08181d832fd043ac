"""Access-matrix routes of the workbench: exchange."""

from __future__ import annotations

from tests.access_support import Route

ROUTES: dict[str, Route] = {}
