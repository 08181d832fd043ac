"""The analysis journey in a browser: read the counts, build a theme with a published quote, and
decide on the assistant's suggestions — with a screenshot of every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from peermentor.qualitative.models import Exemplar, Segment, Source
from tests.browser.conftest import (  # noqa: F401 - fixtures of the browser tests
    browser_context_args,
    browser_type_launch_args,
    sign_in,
)
from tests.conftest import PASSWORD, World
from tests.qualitative.test_analysis_assist import SCHEDULING_TEXTS, SUPPORT_TEXTS
from tests.qualitative.test_analysis_numbers import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots to look at, nothing secret


def _shot(page: Any, name: str) -> None:
    """Save a screenshot to look at, and fail on serious accessibility problems of the page."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    problems = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert not problems, f"{name}: {problems}"


def test_evaluator_analyses_builds_a_theme_and_decides_suggestions(
    page: Any, live_server: Any, world: World
) -> None:
    data = build(world)
    for code, texts in ((data.support, SUPPORT_TEXTS), (data.scheduling, SCHEDULING_TEXTS)):
        for n, text in enumerate(texts):
            source = Source.objects.create(
                program=world.program, name=f"Extra {code.name} {n}", text=text, respondent="R09"
            )
            Segment.objects.create(
                source=source, code=code, coder=data.alice, start=0, end=len(text)
            )
    Source.objects.create(
        program=world.program,
        name="Close-out R07",
        respondent="R07",
        text="Peers gave support and encouragement all year.",
    )
    base = f"{live_server.url}/programs/{world.program.slug}/workbench"
    sign_in(page, live_server, world.evaluator.email, PASSWORD)

    page.goto(f"{base}/analysis/")
    expect(page.get_by_role("heading", name="Code counts")).to_be_visible()
    page.get_by_label("Split by").select_option("wave")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Close-out")).to_be_visible()
    _shot(page, "analysis_frequencies")
    page.get_by_role("link", name="Co-occurrence").click()
    expect(page.get_by_role("img", name=re.compile("Shaded grid"))).to_be_visible()
    _shot(page, "analysis_cooccurrence")
    page.get_by_role("link", name="Codes by group").click()
    expect(page.get_by_role("columnheader", name="Group C")).to_be_visible()
    _shot(page, "analysis_groups")

    page.get_by_role("link", name="Themes", exact=True).click()
    page.get_by_label("Name").fill("Peer support")
    page.get_by_label("Polarity").select_option("benefit")
    page.get_by_label("Support", exact=True).check()
    page.get_by_role("button", name="Add the theme").click()
    expect(page.get_by_role("heading", name="Peer support")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Use as a quote \(R02")).first.click()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.get_by_text("Published in the report")).to_be_visible()
    assert Exemplar.objects.get().published
    _shot(page, "theme_detail")
    page.get_by_role("link", name="All themes").click()
    expect(page.get_by_text("1 quote, 1 published")).to_be_visible()
    _shot(page, "themes")

    page.get_by_role("link", name="Assisted coding", exact=True).click()
    page.get_by_role("button", name="Suggest codes").click()
    expect(page.get_by_text(re.compile("Learned from 20 coded answers"))).to_be_visible()
    _shot(page, "suggestion_list")
    page.get_by_role("button", name=re.compile("^Accept Support for Close-out R07")).click()
    expect(
        page.get_by_text(re.compile("applied to Close-out R07 by the assistant"))
    ).to_be_visible()
    assert Segment.objects.filter(coder__kind="assistant").count() == 1
    page.get_by_role("link", name="Assistant’s agreement", exact=True).click()
    expect(page.get_by_role("heading", name="Against held-out coding")).to_be_visible()
    _shot(page, "suggestion_agreement")
    page.get_by_role("link", name="Keyword rules", exact=True).click()
    page.get_by_label("Suggest the code").select_option(label="Scheduling")
    page.get_by_label("For every answer containing").fill("timetable")
    page.get_by_role("button", name="Add the rule").click()
    expect(page.get_by_role("rowheader", name="“timetable”")).to_be_visible()
    _shot(page, "rules")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/assist/")
    _shot(page, "suggestion_list_phone")
