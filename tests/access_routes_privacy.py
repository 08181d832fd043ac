"""Access-matrix routes of privacy rights: one's own data export and account deletion."""

from __future__ import annotations

from tests.access_support import Route

ROUTES: dict[str, Route] = {}
