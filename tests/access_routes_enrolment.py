"""Access-matrix routes of enrolment: calls, intake, waitlist, cohorts, group formation."""

from __future__ import annotations

from tests.access_support import Route

ROUTES: dict[str, Route] = {}
