"""Meeting pages as the members use them: polls, busy-time import, notes, fixed query counts."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peermentor.meetings import services
from peermentor.meetings.models import AvailabilityPoll, Meeting
from tests.conftest import World, client_for


def _future_day(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_poll_form_creates_a_poll_in_the_group_time_zone(world: World) -> None:
    response = client_for(world.member).post(
        reverse("poll_create", args=[world.group.pk]),
        {
            "title": "Spring meeting",
            "kind": "dates",
            "duration_minutes": "60",
            "deadline": _future_day(3),
            "date_1": _future_day(10),
            "time_1": "07:30",
            "date_2": _future_day(11),
            "time_2": "12:00",
        },
    )
    assert response.status_code == 302
    poll = AvailabilityPoll.objects.get()
    local = [o.starts_at.astimezone(dt.UTC) for o in poll.options.all()]
    from zoneinfo import ZoneInfo

    london = [t.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") for t in local]
    assert sorted(london) == ["07:30", "12:00"]


def test_weekly_poll_needs_a_weekday_per_row(world: World) -> None:
    response = client_for(world.member).post(
        reverse("poll_create", args=[world.group.pk]),
        {
            "title": "Standing slot",
            "kind": "weekly",
            "duration_minutes": "60",
            "deadline": _future_day(3),
            "time_1": "07:30",
        },
    )
    assert "Choose the weekday" in response.content.decode()
    assert not AvailabilityPoll.objects.exists()


def test_poll_form_reports_an_overlap(world: World) -> None:
    response = client_for(world.member).post(
        reverse("poll_create", args=[world.group.pk]),
        {
            "title": "x",
            "kind": "dates",
            "duration_minutes": "90",
            "deadline": _future_day(3),
            "date_1": _future_day(10),
            "time_1": "07:30",
            "date_2": _future_day(10),
            "time_2": "08:00",
        },
    )
    assert "overlap" in response.content.decode()
    assert not AvailabilityPoll.objects.exists()


def _poll_at(world: World, *starts: dt.datetime) -> AvailabilityPoll:
    return services.poll_create(
        group=world.group,
        creator=world.member,
        title="Next",
        kind="dates",
        duration_minutes=60,
        starts=list(starts),
        deadline=timezone.now() + dt.timedelta(days=2),
    )


ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//EN\r
BEGIN:VEVENT\r
UID:clinic-1@test\r
DTSTAMP:20260101T000000Z\r
DTSTART:{start}\r
DTEND:{end}\r
SUMMARY:Clinic\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_busy_times_from_an_ics_file_prefill_the_answers(world: World) -> None:
    first = (timezone.now() + dt.timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    second = first + dt.timedelta(days=1)
    poll = _poll_at(world, first, second)
    stamp = "%Y%m%dT%H%M%SZ"
    body = ICS.format(
        start=first.strftime(stamp), end=(first + dt.timedelta(hours=1)).strftime(stamp)
    ).encode()
    client = client_for(world.member)
    client.post(
        reverse("poll_busy", args=[poll.pk]),
        {"calendar": SimpleUploadedFile("work.ics", body, "text/calendar")},
    )
    page = client.get(reverse("poll_detail", args=[poll.pk])).content.decode()
    options = {o.starts_at: o.pk for o in poll.options.all()}
    assert f'id="a-{options[first]}-no" name="answer_{options[first]}" value="no" checked' in page
    assert f'id="a-{options[second]}-yes" name="answer_{options[second]}" value="yes" checked' in (
        page
    )
    assert "Pre-filled from your calendar" in page
    assert not poll.options.filter(votes__isnull=False).exists(), "nothing saved before review"


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("notes.ics", b"this is not a calendar", "not an iCalendar"),
        ("huge.ics", b"BEGIN:VCALENDAR\r\n" + b"X" * (2 * 1024 * 1024 + 10), "2 MB"),
        ("binary.ics", bytes(range(256)) * 10, "not"),
    ],
)
def test_bad_calendar_files_get_a_clear_message(
    world: World, name: str, body: bytes, message: str
) -> None:
    poll = _poll_at(world, timezone.now() + dt.timedelta(days=5))
    client = client_for(world.member)
    response = client.post(
        reverse("poll_busy", args=[poll.pk]),
        {"calendar": SimpleUploadedFile(name, body)},
        follow=True,
    )
    assert message in response.content.decode()


SAMPLES = os.environ.get("PEERMENTOR_SAMPLES")


@pytest.mark.skipif(not SAMPLES, reason="PEERMENTOR_SAMPLES is not set")
def test_a_real_outlook_export_is_read_through_the_page(world: World) -> None:
    path = Path(SAMPLES or "") / "samples" / "ical" / "exchange2010_unquoted_windows_tzid.ics"
    poll = _poll_at(world, timezone.now() + dt.timedelta(days=5))
    response = client_for(world.member).post(
        reverse("poll_busy", args=[poll.pk]),
        {"calendar": SimpleUploadedFile(path.name, path.read_bytes())},
        follow=True,
    )
    assert "Pre-filled from your calendar" in response.content.decode()


def test_notes_conflict_shows_both_versions(world: World) -> None:
    meeting = services.meeting_create(
        group=world.group, actor=world.member, starts_at=timezone.now() + dt.timedelta(days=1)
    )
    url = reverse("meeting_notes", args=[meeting.pk])
    client_for(world.member).post(url, {"notes": "Alpha **notes**", "base_version": "0"})
    response = client_for(world.other_member).post(
        url, {"notes": "Beta notes", "base_version": "0"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "<strong>notes</strong>" in page
    assert "Beta notes" in page
    meeting.refresh_from_db()
    assert meeting.notes == "Alpha **notes**"


def test_notes_markdown_cannot_carry_scripts(world: World) -> None:
    meeting = services.meeting_create(
        group=world.group, actor=world.member, starts_at=timezone.now() + dt.timedelta(days=1)
    )
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))"
    services.meeting_notes_save(meeting=meeting, user=world.member, text=payload, base_version=0)
    page = client_for(world.member).get(reverse("meeting_detail", args=[meeting.pk]))
    html = page.content.decode()
    for dangerous in ("<script>alert", "onerror", "javascript:"):
        assert dangerous not in html


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_meeting_and_history_pages_do_not_grow_queries_with_meetings(world: World) -> None:
    def add_meetings(count: int) -> Meeting:
        last = None
        for index in range(count):
            last = services.meeting_create(
                group=world.group,
                actor=world.member,
                status="held",
                starts_at=timezone.now() - dt.timedelta(days=7 * (index + 1)),
            )
            services.agenda_item_add(
                group=world.group,
                meeting=last,
                proposer=world.member,
                title=f"Item {index}",
                kind="professional",
                minutes=10,
            )
            services.attendance_record(
                meeting=last, actor=world.member, statuses={world.member.pk: "present"}
            )
            services.action_item_add(
                group=world.group,
                meeting=last,
                owner=world.member,
                title=f"Action {index}",
                due_on=None,
                actor=world.member,
            )
        assert last is not None
        return last

    client = client_for(world.member)
    meeting = add_meetings(2)
    pages = [
        reverse("meeting_history", args=[world.group.pk]),
        reverse("meeting_detail", args=[meeting.pk]),
        reverse("meeting_list", args=[world.group.pk]),
        reverse("home"),
    ]
    before = [_count(client, url) for url in pages]
    add_meetings(15)
    assert [_count(client, url) for url in pages] == before
