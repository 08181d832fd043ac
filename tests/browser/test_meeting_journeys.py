"""The meeting journey: a poll, three members' answers, a series, the agenda, attendance, .ics."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from peermentor.meetings.models import Meeting
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page: Any, live_server: Any, user: Any, poll_url: str, answers: list[str]) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, user.email, PASSWORD)
    page.goto(poll_url)
    for fieldset, answer in zip(page.locator("fieldset.vote").all(), answers, strict=True):
        fieldset.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()


def test_poll_to_series_to_agenda_attendance_and_ics(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page, live_server, world.member.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('meeting_list', args=[world.group.pk])}")
    expect(page.get_by_text("No meetings yet")).to_be_visible()
    page.get_by_role("link", name="Find a time", exact=True).click()
    page.get_by_label("Title").fill("Autumn meetings")
    day = timezone.localdate() + dt.timedelta(days=9)
    page.get_by_label("Time 1: date").fill(day.isoformat())
    page.get_by_label("Time 1: starts at").fill("07:30")
    page.get_by_label("Time 2: date").fill((day + dt.timedelta(days=1)).isoformat())
    page.get_by_label("Time 2: starts at").fill("12:00")
    page.get_by_role("button", name="Open the poll").click()
    expect(page.get_by_role("heading", name="Autumn meetings")).to_be_visible()
    poll_url = page.url

    _answer(page, live_server, world.member, poll_url, ["Yes", "If need be"])
    _answer(page, live_server, world.other_member, poll_url, ["No", "Yes"])
    _answer(page, live_server, world.senior, poll_url, ["If need be", "Yes"])
    expect(page.get_by_text("Everyone has answered.")).to_be_visible()
    first_row = page.locator("section[aria-labelledby=ranking] tbody tr").first
    expect(first_row).to_contain_text("12:00")

    page.get_by_label("Repeat").select_option("6")
    page.get_by_label("How many meetings in the series").fill("4")
    page.get_by_label("Place").fill("Conference room 2")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("4 meetings are scheduled.")).to_be_visible()
    assert Meeting.objects.filter(group=world.group).count() == 4

    for title in ("Promotion timeline", "Grant idea"):
        page.get_by_label(re.compile(r"^Item:?$")).fill(title)
        page.get_by_label("Time box (minutes)").fill("20")
        page.get_by_role("button", name="Add to the agenda").click()
    items = page.locator("li.agenda-item strong")
    expect(items).to_have_text(["Promotion timeline", "Grant idea"])
    page.get_by_role("button", name="move Grant idea up").click()
    expect(items).to_have_text(["Grant idea", "Promotion timeline"])

    page.get_by_label(f"{world.member.name}: Present", exact=True).check()
    page.get_by_label(f"{world.other_member.name}: Late", exact=True).check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance recorded.")).to_be_visible()
    expect(page.get_by_label(f"{world.other_member.name}: Late", exact=True)).to_be_checked()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    body = Path(download_info.value.path()).read_bytes()
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["LOCATION"]) == "Conference room 2"
