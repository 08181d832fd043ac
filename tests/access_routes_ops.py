"""Access-matrix routes of operations: health and readiness."""

from __future__ import annotations

from tests.access_support import Route

ROUTES: dict[str, Route] = {}
