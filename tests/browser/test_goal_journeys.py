"""The goals journey: set and share a goal, check in at a meeting, download the plan."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from peermentor.goals.models import Goal
from peermentor.meetings import services as meetings
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_sets_shares_checks_in_and_downloads_the_plan(
    page: Any, live_server: Any, world: World
) -> None:
    meeting = meetings.meeting_create(
        group=world.group, actor=world.member, starts_at=timezone.now() + dt.timedelta(days=2)
    )
    sign_in(page, live_server, world.member.email, PASSWORD)
    page.get_by_role("link", name="My goals").click()
    page.get_by_role("link", name="Set a goal").click()
    page.get_by_label(re.compile(r"^Title:?$")).fill("Submit the workshop paper")
    page.get_by_label("Category").select_option("scholarship")
    page.get_by_label("Who sees this goal").select_option("group")
    page.get_by_label("Milestones").fill("Outline\nDraft")
    page.get_by_role("button", name="Save the goal").click()
    expect(page.get_by_text("Your goal is set and shared.")).to_be_visible()

    page.goto(f"{live_server.url}{reverse('meeting_detail', args=[meeting.pk])}")
    page.get_by_role("link", name="Open the accountability round").click()
    page.get_by_label("Progress (%)").fill("35")
    page.get_by_label("Milestone reached").select_option(label="Outline")
    page.get_by_role("button", name="Record check-in for Submit the workshop paper").click()
    expect(page.get_by_text("Check-in recorded")).to_be_visible()
    goal = Goal.objects.get(title="Submit the workshop paper")
    assert goal.check_ins.get().meeting == meeting

    page.goto(f"{live_server.url}{reverse('goal_list')}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="download PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")

    page.context.clear_cookies()
    sign_in(page, live_server, world.outsider.email, PASSWORD)
    response = page.goto(f"{live_server.url}{reverse('goal_detail', args=[goal.pk])}")
    assert response is not None
    assert response.status == 404
