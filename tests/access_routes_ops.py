"""Access-matrix routes of operations: health and readiness."""

from __future__ import annotations

from tests.access_support import OK, Route
from tests.conftest import PERSONAS

# Load balancers and supervisors call these without signing in; they show no private data.
ROUTES: dict[str, Route] = {
    "readiness": Route(lambda w: {}, {p: OK for p in PERSONAS}),
}
