"""Access-matrix routes of dashboards and the program evaluation report.

The home page and the director's dashboard (``program_figures``) are in the main matrix.
"""

from __future__ import annotations

import re
from typing import Any

from tests.access_support import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Route, expect
from tests.conftest import World

_STAFF_ONLY = expect(NOT_FOUND, director=OK, evaluator=OK)
_STAFF_POST = expect(NOT_FOUND, director=REDIRECT, evaluator=REDIRECT)


def _report(world: World) -> dict[str, Any]:
    """A finished report of the world's program (made directly: the task is tested apart)."""
    from peermentor.reports.models import Report

    report = Report.objects.create(
        program=world.program,
        since="2020-01-01",
        until="2020-12-31",
        requested_by=world.director,
        status=Report.Status.DONE,
        progress=100,
        html="<!DOCTYPE html><title>Report</title><p>Report</p>",
        pdf=b"%PDF-1.7\n%%EOF\n",
        pdf_pages=1,
    )
    return {"report_id": report.pk}


def _chart(world: World) -> dict[str, Any]:
    """A chart of the dashboard, once the program has enough people and meetings to show one."""
    from peermentor.reports.views import _render_figures
    from tests.reports.conftest import add_groups, add_history

    add_history(world, meetings=3)
    add_groups(world, 1, 5)
    page = _render_figures(world.program)["dashboard"]  # keeps its charts in the cache
    name, digest = re.search(r"/charts/([a-z]+)-([0-9a-f]+)\.svg", page).groups()  # type: ignore[union-attr]
    return {"slug": world.program.slug, "name": name, "digest": digest}


def _pdf(world: World) -> dict[str, Any]:
    return {**_report(world), "fmt": "pdf"}


ROUTES: dict[str, Route] = {
    "program_figures_chart": Route(_chart, _STAFF_ONLY),
    "program_figures_groups": Route(lambda w: {"slug": w.program.slug}, _STAFF_ONLY),
    "group_dashboard": Route(
        lambda w: {"group_id": w.group.pk},
        expect(NOT_FOUND, director=FORBIDDEN, member=OK, other_member=OK, senior=OK),
    ),
    "report_list": Route(lambda w: {"slug": w.program.slug}, _STAFF_ONLY),
    "report_create": Route(
        lambda w: {"slug": w.program.slug},
        _STAFF_POST,
        method="post",
        data=lambda w: {"since": "2020-01-01", "until": "2020-06-30", "group": ""},
    ),
    "report_detail": Route(_report, _STAFF_ONLY),
    "report_status": Route(_report, _STAFF_ONLY),
    "report_conclusions": Route(
        _report, _STAFF_POST, method="post", data=lambda w: {"conclusions": "Keep going."}
    ),
    "report_file": Route(_pdf, _STAFF_ONLY),
}
