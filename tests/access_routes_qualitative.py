"""Access-matrix routes of the qualitative analysis workbench."""

from __future__ import annotations

from tests.access_support import Route

ROUTES: dict[str, Route] = {}
