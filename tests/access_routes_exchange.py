"""Access-matrix routes of the workbench: REFI-QDA exchange (evaluators of the program only)."""

from __future__ import annotations

from typing import Any

from tests.access_support import FORBIDDEN, NOT_FOUND, OK, Route, expect
from tests.conftest import World


def _program(world: World) -> dict[str, Any]:
    return {"slug": world.program.slug}


_EVALUATORS_ONLY = expect(NOT_FOUND, director=FORBIDDEN, evaluator=OK)

ROUTES: dict[str, Route] = {
    "workbench_exchange": Route(_program, _EVALUATORS_ONLY),
    "workbench_export_qdpx": Route(_program, _EVALUATORS_ONLY),
    "workbench_export_qdc": Route(_program, _EVALUATORS_ONLY),
    # Without a file the evaluator gets the form back with its error.
    "workbench_import": Route(_program, _EVALUATORS_ONLY, method="post"),
}
