"""Access-matrix routes of the REST API."""

from __future__ import annotations

from tests.access_support import Route

ROUTES: dict[str, Route] = {}
