"""The survey journey: a director opens a wave, a member answers anonymously, the evaluator
reads the pseudonymised answer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peermentor.surveys import services
from peermentor.surveys.models import Response
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_opens_member_answers_evaluator_reads(
    page: Any, live_server: Any, world: World
) -> None:
    services.instrument_create_default(program=world.program, actor=world.director)
    today = timezone.localdate().isoformat()

    sign_in(page, live_server, world.director.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/")
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.get_by_role("link", name="Open a wave").click()
    page.get_by_label("Title").fill("Year one check")
    page.get_by_label("Cadence").select_option("yearly")
    page.get_by_label(re.compile("Anonymous: no names")).check()
    page.get_by_label("Opens on").fill(today)
    page.get_by_label("Closes on").fill(today)
    page.get_by_label("Group A").check()
    page.get_by_role("button", name="Open the wave").click()
    expect(page.get_by_text("The wave is open: 3 people are invited")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, world.member.email, PASSWORD)
    page.get_by_role("link", name="Surveys to answer").click()
    page.get_by_role("link", name="Year one check").click()
    expect(page.get_by_text("Anonymous: your name is not stored with your answers")).to_be_visible()
    page.get_by_label(re.compile("What has taking part")).fill(
        "Other_Member helped me finish my first paper."
    )
    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name=re.compile("your answers were sent"))).to_be_visible()
    assert Response.objects.get().respondent is None

    page.context.clear_cookies()
    sign_in(page, live_server, world.evaluator.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/surveys/")
    page.get_by_role("link", name=re.compile("^answers")).click()
    expect(page.get_by_text("[member] helped me finish my first paper.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="R01").first).to_be_visible()
    expect(page.get_by_text("Other_Member")).to_have_count(0)
