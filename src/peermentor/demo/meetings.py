"""Demo meetings: the first group's 30 meetings of 2006–2010, and recent polls and meetings."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.meetings import services
from peermentor.meetings.forms import local_instant
from peermentor.meetings.models import ActionItem, AgendaItem, Attendance, Meeting
from peermentor.programs.models import Group

TOPICS = [
    "Preparing the educator portfolio",
    "Feedback on a manuscript draft",
    "Planning a workshop for residents",
    "Negotiating protected time",
    "Reading the promotion criteria together",
    "A grant idea: simulation in psychiatry",
    "Co-authoring a curriculum paper",
    "Peer review of a teaching session",
    "Saying no to committees",
    "Abstract for the education conference",
    "Mentoring medical students",
    "Writing group: an hour of quiet writing",
]
ACTIONS = [
    "Send the draft to the group",
    "Ask the chair about protected time",
    "Submit the conference abstract",
    "Book the simulation lab",
    "Update the teaching portfolio",
    "Share the grant call",
]
NOTES = [
    "- Talked through the portfolio structure.\n- **Agreed**: everyone brings one teaching "
    "artefact next time.",
    "Useful discussion of the promotion timeline. Two members will co-write a paper on the "
    "residents' workshop.",
    "Check-in ran long; we agreed to keep it to ten minutes.\n\nNext time: grant ideas.",
]


def load_meeting_history(group: Group, members: list[User]) -> None:
    """Thirty held meetings, about every seven weeks from September 2006."""
    rng = random.Random(2006)  # noqa: S311 -- demo data, not security
    first = dt.date(2006, 9, 12)
    for index in range(30):
        day = first + dt.timedelta(weeks=7 * index)
        start = local_instant(day, dt.time(7, 30), group.time_zone)
        meeting = services.meeting_create(
            group=group,
            starts_at=start,
            actor=None,
            duration_minutes=90,
            place="Psychiatry conference room 2",
            status=Meeting.Status.HELD,
        )
        _agenda(group, meeting, members, rng)
        _attendance(meeting, members, rng)
        _actions(group, meeting, members, rng)
        Meeting.objects.filter(pk=meeting.pk).update(
            notes=rng.choice(NOTES),
            notes_version=1,
            notes_updated_by=members[index % 6],
            notes_updated_at=start + dt.timedelta(hours=2),
        )


def _agenda(group: Group, meeting: Meeting, members: list[User], rng: random.Random) -> None:
    checkin_actual = rng.choice([10, 10, 12, 15, 25])
    items = [
        ("Personal check-in", AgendaItem.Kind.PERSONAL, 10, checkin_actual),
        ("Accountability round", AgendaItem.Kind.ACCOUNTABILITY, 20, rng.randint(15, 25)),
    ]
    for title in rng.sample(TOPICS, 2):
        items.append((title, AgendaItem.Kind.PROFESSIONAL, 25, rng.randint(15, 35)))
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                group=group,
                meeting=meeting,
                proposer=rng.choice(members),
                title=title,
                kind=kind,
                minutes=planned,
                actual_minutes=actual,
                position=position,
                status=AgendaItem.Status.DISCUSSED,
            )
            for position, (title, kind, planned, actual) in enumerate(items, start=1)
        ]
    )


def _attendance(meeting: Meeting, members: list[User], rng: random.Random) -> None:
    weights = [
        (Attendance.Status.PRESENT, 80),
        (Attendance.Status.LATE, 6),
        (Attendance.Status.EXCUSED, 10),
        (Attendance.Status.ABSENT, 4),
    ]
    statuses, chances = zip(*weights, strict=True)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, user=member, status=rng.choices(statuses, chances)[0])
            for member in members
        ]
    )


def _actions(group: Group, meeting: Meeting, members: list[User], rng: random.Random) -> None:
    for owner in rng.sample(members, 2):
        ActionItem.objects.create(
            group=group,
            meeting=meeting,
            owner=owner,
            title=rng.choice(ACTIONS),
            due_on=meeting.starts_at.date() + dt.timedelta(weeks=6),
            status=ActionItem.Status.DONE,
            closed_at=meeting.starts_at + dt.timedelta(weeks=6),
        )


def load_recent_activity(group: Group, members: list[User], *, with_poll: bool) -> None:
    """An open poll, or a series of upcoming meetings with an agenda."""
    today = timezone.localdate()
    zone = ZoneInfo(group.time_zone)
    if with_poll:
        starts = [
            local_instant(today + dt.timedelta(days=d), dt.time(h, 0), str(zone))
            for d, h in ((9, 12), (10, 7), (16, 12))
        ]
        poll = services.poll_create(
            group=group,
            creator=members[0],
            title="Our next meeting",
            kind="dates",
            duration_minutes=60,
            deadline=timezone.now() + dt.timedelta(days=6),
            starts=starts,
        )
        options = list(poll.options.all())
        services.poll_vote(
            poll=poll,
            user=members[0],
            answers={o.pk: a for o, a in zip(options, ["yes", "no", "yes"], strict=True)},
        )
        return
    first = local_instant(today + dt.timedelta(days=12), dt.time(12, 0), str(zone))
    meeting = services.series_create(
        group=group,
        first_start=first,
        interval_weeks=6,
        count=4,
        duration_minutes=60,
        actor=members[0],
        video_link="https://video.example.org/pmg",
    )
    services.agenda_item_add(
        group=group,
        meeting=meeting,
        proposer=members[1],
        title="Personal check-in",
        kind="personal",
        minutes=10,
    )
    services.agenda_item_add(
        group=group,
        meeting=meeting,
        proposer=members[0],
        title="Setting our goals for the year",
        kind="professional",
        minutes=40,
    )
