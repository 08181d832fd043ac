"""Calendar feeds and downloads are valid iCalendar without attendees; reminders go out once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peermentor.meetings import services, tasks
from peermentor.meetings.models import ReminderSent
from tests.conftest import World, client_for


def _meeting(world: World, days: int = 5, **extra: Any) -> Any:
    return services.meeting_create(
        group=world.group,
        actor=world.member,
        place="Room 2",
        starts_at=timezone.now() + dt.timedelta(days=days),
        **extra,
    )


def _events(body: bytes) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_download_is_a_valid_event_with_utc_times_and_no_addresses(world: World) -> None:
    meeting = _meeting(world)
    response = client_for(world.member).get(reverse("meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert 'attachment; filename="meeting-' in response["Content-Disposition"]
    [event] = _events(response.content)
    assert str(event["UID"]) == f"{meeting.uid}@peermentor"
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert event.decoded("DTSTART").tzinfo is not None
    assert str(event["STATUS"]) == "CONFIRMED"
    body = response.content.decode()
    assert "ATTENDEE" not in body
    assert "ORGANIZER" not in body
    for person in (world.member, world.other_member, world.senior):
        assert person.email not in body


def test_feed_follows_changes_with_a_higher_sequence_and_cancellations(world: World) -> None:
    meeting = _meeting(world)
    url = reverse("calendar_feed", args=[services.calendar_feed_create(user=world.other_member)])
    [before] = _events(Client().get(url).content)
    services.meeting_update(meeting=meeting, actor=world.member, status="cancelled")
    [after] = _events(Client().get(url).content)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert str(after["STATUS"]) == "CANCELLED"


def test_feed_lists_only_the_owners_groups(world: World) -> None:
    _meeting(world)
    services.meeting_create(
        group=world.other_group,
        actor=world.outsider,
        starts_at=timezone.now() + dt.timedelta(days=2),
    )
    token = services.calendar_feed_create(user=world.outsider)
    events = _events(Client().get(reverse("calendar_feed", args=[token])).content)
    assert [str(e["SUMMARY"]) for e in events] == ["Group B (peer mentoring)"]


def test_wrong_or_revoked_feed_token_is_404(world: World) -> None:
    token = services.calendar_feed_create(user=world.member)
    assert Client().get(reverse("calendar_feed", args=[token + "x"])).status_code == 404
    services.calendar_feed_revoke(user=world.member)
    assert Client().get(reverse("calendar_feed", args=[token])).status_code == 404


def test_a_new_feed_address_retires_the_old_one(world: World) -> None:
    old = services.calendar_feed_create(user=world.member)
    new = services.calendar_feed_create(user=world.member)
    assert Client().get(reverse("calendar_feed", args=[old])).status_code == 404
    assert Client().get(reverse("calendar_feed", args=[new])).status_code == 200


def test_feed_of_a_former_member_no_longer_shows_the_group(world: World) -> None:
    _meeting(world)
    token = services.calendar_feed_create(user=world.other_member)
    from peermentor.programs import services as programs

    programs.membership_end(
        membership=world.membership_of(world.other_member),
        left_on=timezone.localdate(),
        reason="other",
        actor=world.director,
    )
    assert _events(Client().get(reverse("calendar_feed", args=[token])).content) == []


def test_meeting_reminder_goes_out_once_with_the_agenda(
    world: World, mailoutbox: list[Any]
) -> None:
    meeting = _meeting(world)
    services.agenda_item_add(
        group=world.group,
        meeting=meeting,
        proposer=world.member,
        title="Promotion dossier",
        kind="professional",
        minutes=30,
    )
    iso = meeting.starts_at.isoformat()
    assert tasks.send_meeting_reminders.call(meeting_id=meeting.pk, starts_at=iso) == 3
    assert tasks.send_meeting_reminders.call(meeting_id=meeting.pk, starts_at=iso) == 0
    assert len(mailoutbox) == 3
    assert "Promotion dossier" in mailoutbox[0].body
    assert ReminderSent.objects.count() == 3


def test_reminder_for_a_moved_or_cancelled_meeting_is_skipped(
    world: World, mailoutbox: list[Any]
) -> None:
    meeting = _meeting(world)
    old = meeting.starts_at.isoformat()
    services.meeting_update(
        meeting=meeting, actor=world.member, starts_at=meeting.starts_at + dt.timedelta(days=1)
    )
    assert tasks.send_meeting_reminders.call(meeting_id=meeting.pk, starts_at=old) == 0
    services.meeting_update(meeting=meeting, actor=world.member, status="cancelled")
    meeting.refresh_from_db()
    new = meeting.starts_at.isoformat()
    assert tasks.send_meeting_reminders.call(meeting_id=meeting.pk, starts_at=new) == 0
    assert mailoutbox == []


def test_poll_reminder_goes_only_to_members_who_have_not_answered(
    world: World, mailoutbox: list[Any]
) -> None:
    start = timezone.now() + dt.timedelta(days=6)
    poll = services.poll_create(
        group=world.group,
        creator=world.member,
        title="Next",
        kind="dates",
        duration_minutes=60,
        starts=[start],
        deadline=timezone.now() + dt.timedelta(days=2),
    )
    services.poll_vote(poll=poll, user=world.member, answers={poll.options.get().pk: "yes"})
    assert tasks.send_poll_reminders.call(poll_id=poll.pk) == 2
    assert tasks.send_poll_reminders.call(poll_id=poll.pk) == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.other_member.email, world.senior.email]
    )


def test_reminders_are_scheduled_before_the_meeting(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _meeting(world, days=6)
    [result] = default_task_backend.results
    assert result.task.name == "send_meeting_reminders"
    assert result.task.run_after == meeting.starts_at - services.MEETING_REMINDER_BEFORE
