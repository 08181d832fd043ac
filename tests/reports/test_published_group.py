"""The demo's first group reproduces the published group's headline facts (Lord et al. 2012)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from peermentor.programs.models import Program


@pytest.fixture
def demo_report(db: Any) -> Any:
    from peermentor.accounts.models import User
    from peermentor.reports import services

    call_command("demo")
    program = Program.objects.get(slug="demo")
    first = program.groups.order_by("formed_on").first()
    return services.report_request(
        program=program,
        group=first,
        since=dt.date(2006, 1, 1),
        until=dt.date(2010, 12, 31),
        actor=User.objects.get(email="director@example.org"),
    )


def test_report_of_the_2006_group_reproduces_the_published_facts(demo_report: Any) -> None:
    assert demo_report.status == "done", demo_report.error
    c = demo_report.content
    people = c["description"]["people"]
    assert (people["people"], people["junior"], people["senior"]) == (7, 6, 1)
    assert c["description"]["meetings_held"] == 30
    assert (c["description"]["first_year"], c["description"]["last_year"]) == (2006, 2010)
    assert c["retention"]["members"] == 7
    assert c["retention"]["retained"] == 7
    assert c["retention"]["dropped"] == 0
    assert c["scholarship"]["pooled"]["ratio"] > 1
    assert c["scholarship"]["pooled"]["ci_low"] > 1
    assert c["scholarship"]["new_ties"] > 0
    assert c["scholarship"]["ties_during"] > c["scholarship"]["ties_before"]
    # The demo's themes: the seven benefits and seven undesirable outcomes of the paper.
    benefits = {t["name"] for t in c["benefits"] if t["respondents"] > 0}
    undesirable = {t["name"] for t in c["undesirable"] if t["respondents"] > 0}
    assert len(benefits) == 7
    assert len(undesirable) == 7
    assert {"Workplace satisfaction", "Social connection", "Accountability and motivation"} <= (
        benefits
    )
    assert {"Exclusivity", "Lack of hierarchy", "Scheduling of meetings"} <= undesirable
    # The same facts as the reader sees them in the document.
    html = demo_report.html
    assert "7 faculty members (6 junior, 1 senior)" in html
    assert "held 30 meetings in 2006–2010" in html
    assert "every member was retained" in html
    assert demo_report.pdf_pages >= 4


def test_dashboard_collaboration_matches_the_group_works_page(demo_report: Any) -> None:
    from peermentor.reports.selectors import director_dashboard
    from peermentor.scholarship.selectors import group_scholarship

    program = Program.objects.get(slug="demo")
    first = program.groups.order_by("formed_on").first()
    today = dt.date(2010, 12, 31)
    works_page = group_scholarship(group=first, today=today).network_summary
    row = next(
        g for g in director_dashboard(program=program, today=today).groups if g.name == first.name
    )
    assert (row.ties_before, row.ties_during) == (
        works_page["ties_before"],
        works_page["ties_during"],
    )
