"""Writes for meetings: polls and votes, meetings and series, rota, agenda, notes, actions,
attendance and calendar feeds."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.core.audit import audit_record
from peermentor.core.tasks import enqueue_at
from peermentor.meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaVote,
    Attendance,
    AvailabilityPoll,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    PollOption,
    Vote,
)
from peermentor.programs.models import Group
from peermentor.programs.selectors import current_member_ids, is_current_member

MAX_POLL_OPTIONS = 40
MAX_SERIES_OCCURRENCES = 60
MEETING_REMINDER_BEFORE = dt.timedelta(days=2)
POLL_REMINDER_BEFORE = dt.timedelta(days=1)


class MeetingError(Exception):
    """A request the meeting rules do not allow; the message says what and where."""


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise MeetingError(
            f"“{name}” is not a time zone PeerMentor knows (IANA names such as "
            "America/Los_Angeles)."
        ) from error


def _require_member(group: Group, user: User) -> None:
    if not is_current_member(group=group, user=user):
        raise MeetingError("Only the group's members can do this.")


# --- Polls -----------------------------------------------------------------------------------


def _check_poll_options(starts: Sequence[dt.datetime], duration: int, now: dt.datetime) -> None:
    if not starts:
        raise MeetingError("Add at least one time to the poll.")
    if len(starts) > MAX_POLL_OPTIONS:
        raise MeetingError(f"A poll has at most {MAX_POLL_OPTIONS} times.")
    ordered = sorted(starts)
    for index, start in enumerate(ordered, start=1):
        if start <= now:
            raise MeetingError(f"Time {index} ({start:%Y-%m-%d %H:%M} UTC) is in the past.")
    for earlier, later in pairwise(ordered):
        if later == earlier:
            raise MeetingError(f"{later:%Y-%m-%d %H:%M} UTC is in the poll twice.")
        if later < earlier + dt.timedelta(minutes=duration):
            raise MeetingError(
                f"The times starting {earlier:%Y-%m-%d %H:%M} and {later:%H:%M} UTC overlap: "
                f"each meeting lasts {duration} minutes."
            )


def poll_create(
    *,
    group: Group,
    creator: User,
    title: str,
    kind: str,
    duration_minutes: int,
    deadline: dt.datetime,
    starts: Sequence[dt.datetime],
    required: Iterable[User] = (),
) -> AvailabilityPoll:
    """Open a poll with its candidate times; any member may."""
    _require_member(group, creator)
    _zone(group.time_zone)
    now = timezone.now()
    if deadline <= now:
        raise MeetingError("The answer deadline is in the past.")
    _check_poll_options(starts, duration_minutes, now)
    with transaction.atomic():
        poll = AvailabilityPoll.objects.create(
            group=group,
            title=title,
            kind=kind,
            time_zone=group.time_zone,
            duration_minutes=duration_minutes,
            deadline=deadline,
            created_by=creator,
        )
        PollOption.objects.bulk_create([PollOption(poll=poll, starts_at=s) for s in starts])
        poll.required_members.set([u for u in required if u.pk in current_member_ids(group=group)])
        audit_record(action="poll.created", actor=creator, target=poll, options=len(starts))
        transaction.on_commit(lambda: _schedule_poll_reminder(poll))
    return poll


def _schedule_poll_reminder(poll: AvailabilityPoll) -> None:
    from peermentor.meetings.tasks import send_poll_reminders

    when = max(poll.deadline - POLL_REMINDER_BEFORE, timezone.now())
    enqueue_at(send_poll_reminders, when, poll_id=poll.pk)


def poll_vote(*, poll: AvailabilityPoll, user: User, answers: Mapping[int, str]) -> None:
    """Save a member's answers to every option of an open poll, all at once."""
    _require_member(poll.group, user)
    if poll.status != AvailabilityPoll.Status.OPEN:
        raise MeetingError("This poll is closed; its time has been chosen.")
    if timezone.now() > poll.deadline:
        raise MeetingError("The deadline for answers has passed.")
    option_ids = set(poll.options.values_list("id", flat=True))
    if set(answers) != option_ids:
        raise MeetingError("Answer every time in the poll (yes, if need be, or no).")
    if any(answer not in Vote.Answer.values for answer in answers.values()):
        raise MeetingError("Each answer is yes, if need be, or no.")
    with transaction.atomic():
        for option_id, answer in answers.items():
            Vote.objects.update_or_create(
                option_id=option_id, user=user, defaults={"answer": answer}
            )
        _note_if_everyone_answered(poll)


def _note_if_everyone_answered(poll: AvailabilityPoll) -> None:
    if poll.everyone_answered_at is not None:
        return
    members = current_member_ids(group=poll.group)
    voters = set(Vote.objects.filter(option__poll=poll).values_list("user_id", flat=True))
    if members <= voters:
        poll.everyone_answered_at = timezone.now()
        poll.save(update_fields=["everyone_answered_at"])
        from peermentor.meetings.tasks import send_poll_complete_notice

        transaction.on_commit(lambda: send_poll_complete_notice.enqueue(poll_id=poll.pk))


def poll_finalise(
    *,
    poll: AvailabilityPoll,
    option: PollOption,
    user: User,
    repeat_weeks: int = 0,
    occurrences: int = 1,
    place: str = "",
    video_link: str = "",
) -> Meeting:
    """Turn the chosen option into a meeting, or into a weekly series of meetings."""
    _require_member(poll.group, user)
    if poll.status != AvailabilityPoll.Status.OPEN:
        raise MeetingError("This poll has been finalised already.")
    if option.poll_id != poll.pk:
        raise MeetingError("That time is not an option of this poll.")
    with transaction.atomic():
        if repeat_weeks:
            first = series_create(
                group=poll.group,
                first_start=option.starts_at,
                interval_weeks=repeat_weeks,
                count=occurrences,
                duration_minutes=poll.duration_minutes,
                actor=user,
                place=place,
                video_link=video_link,
            )
        else:
            first = meeting_create(
                group=poll.group,
                starts_at=option.starts_at,
                actor=user,
                place=place,
                duration_minutes=poll.duration_minutes,
                video_link=video_link,
            )
        poll.status = AvailabilityPoll.Status.FINALISED
        poll.finalised_meeting = first
        poll.save(update_fields=["status", "finalised_meeting"])
        audit_record(action="poll.finalised", actor=user, target=poll, meeting_id=first.pk)
    return first


def poll_close(*, poll: AvailabilityPoll, user: User) -> AvailabilityPoll:
    """Close a poll without choosing a time."""
    _require_member(poll.group, user)
    if poll.status != AvailabilityPoll.Status.OPEN:
        raise MeetingError("This poll is not open.")
    poll.status = AvailabilityPoll.Status.CLOSED
    poll.save(update_fields=["status"])
    audit_record(action="poll.closed", actor=user, target=poll)
    return poll


# --- Meetings, series and the rota -----------------------------------------------------------


def meeting_create(
    *,
    group: Group,
    starts_at: dt.datetime,
    actor: User | None,
    duration_minutes: int = 90,
    place: str = "",
    video_link: str = "",
    series: MeetingSeries | None = None,
    status: str = Meeting.Status.SCHEDULED,
    assign_rota: bool = True,
) -> Meeting:
    """Schedule a meeting; with the charter's rota, pick facilitator and timekeeper fairly."""
    if timezone.is_naive(starts_at):
        raise MeetingError("A meeting time needs its time zone.")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            group=group,
            starts_at=starts_at,
            time_zone=group.time_zone,
            series=series,
            original_start=starts_at if series else None,
            duration_minutes=duration_minutes,
            place=place,
            video_link=video_link,
            status=status,
        )
        if assign_rota and _uses_rota(group):
            meeting.facilitator, meeting.timekeeper = next_rota(group=group, before=meeting)
            meeting.save(update_fields=["facilitator", "timekeeper"])
        audit_record(action="meeting.created", actor=actor, target=meeting)
        if status == Meeting.Status.SCHEDULED:
            transaction.on_commit(lambda: _schedule_meeting_reminder(meeting))
    return meeting


def _uses_rota(group: Group) -> bool:
    charter = group.charters.filter(status="adopted").first()
    return charter is None or charter.uses_facilitator_rota


def _schedule_meeting_reminder(meeting: Meeting) -> None:
    from peermentor.meetings.tasks import send_meeting_reminders

    when = meeting.starts_at - MEETING_REMINDER_BEFORE
    if meeting.starts_at > timezone.now():
        enqueue_at(
            send_meeting_reminders,
            max(when, timezone.now()),
            meeting_id=meeting.pk,
            starts_at=meeting.starts_at.isoformat(),
        )


def next_rota(*, group: Group, before: Meeting) -> tuple[User | None, User | None]:
    """Facilitator and timekeeper: the members who did each job least recently (never first)."""
    members = list(
        User.objects.filter(memberships__group=group, memberships__left_on__isnull=True).order_by(
            "name", "pk"
        )
    )
    if not members:
        return None, None
    earlier = (
        Meeting.objects.filter(group=group)
        .exclude(pk=before.pk)
        .exclude(status=Meeting.Status.CANCELLED)
    )
    facilitator = _least_recent(members, earlier, "facilitator")
    others = [m for m in members if m != facilitator] or members
    return facilitator, _least_recent(others, earlier, "timekeeper")


def _least_recent(members: list[User], earlier: Any, role: str) -> User:
    last = dict(earlier.values_list(role).annotate(last=Max("starts_at")).values_list(role, "last"))
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    return min(members, key=lambda m: (last.get(m.pk, never), m.name, m.pk))


def series_create(
    *,
    group: Group,
    first_start: dt.datetime,
    interval_weeks: int,
    count: int,
    duration_minutes: int,
    actor: User,
    place: str = "",
    video_link: str = "",
) -> Meeting:
    """A weekly series in the group's zone (same wall-clock time across DST); the first meeting."""
    if not 1 <= count <= MAX_SERIES_OCCURRENCES:
        raise MeetingError(f"A series has between 1 and {MAX_SERIES_OCCURRENCES} meetings.")
    if not 1 <= interval_weeks <= 26:
        raise MeetingError("Meet every 1 to 26 weeks.")
    zone = _zone(group.time_zone)
    rule = f"FREQ=WEEKLY;INTERVAL={interval_weeks};COUNT={count}"
    series = MeetingSeries.objects.create(
        group=group,
        rrule=rule,
        first_start=first_start,
        time_zone=group.time_zone,
        duration_minutes=duration_minutes,
        created_by=actor,
    )
    meetings = [
        meeting_create(
            group=group,
            starts_at=start,
            actor=actor,
            series=series,
            place=place,
            duration_minutes=duration_minutes,
            video_link=video_link,
        )
        for start in series_occurrences(rule=rule, first_start=first_start, zone=zone)
    ]
    audit_record(action="series.created", actor=actor, target=series, meetings=len(meetings))
    return meetings[0]


def series_occurrences(*, rule: str, first_start: dt.datetime, zone: ZoneInfo) -> list[dt.datetime]:
    """UTC starts of a recurrence rule expanded in local wall-clock time."""
    local_start = first_start.astimezone(zone).replace(tzinfo=None)
    local_times = rrulestr(rule, dtstart=local_start)
    return [t.replace(tzinfo=zone).astimezone(dt.UTC) for t in local_times]


MEETING_FIELDS_IN_FEEDS = ("starts_at", "duration_minutes", "place", "video_link", "status")


def meeting_update(*, meeting: Meeting, actor: User, **changes: Any) -> Meeting:
    """Change a meeting (reschedule, move, cancel, mark held); calendars see a new SEQUENCE."""
    _require_member(meeting.group, actor)
    unknown = set(changes) - {*MEETING_FIELDS_IN_FEEDS, "facilitator", "timekeeper"}
    if unknown:
        raise MeetingError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    moved = "starts_at" in changes and changes["starts_at"] != meeting.starts_at
    with transaction.atomic():
        for field, value in changes.items():
            setattr(meeting, field, value)
        if any(field in MEETING_FIELDS_IN_FEEDS for field in changes):
            meeting.sequence = F("sequence") + 1
        meeting.save()
        meeting.refresh_from_db()
        audit_record(
            action="meeting.updated",
            actor=actor,
            target=meeting,
            status=meeting.status,
            moved=moved,
        )
        if moved and meeting.status == Meeting.Status.SCHEDULED:
            transaction.on_commit(lambda: _schedule_meeting_reminder(meeting))
    return meeting


def meeting_swap_roles(
    *, meeting: Meeting, actor: User, facilitator: User | None, timekeeper: User | None
) -> Meeting:
    """Members swap who facilitates and who keeps time."""
    members = current_member_ids(group=meeting.group)
    for person in (facilitator, timekeeper):
        if person is not None and person.pk not in members:
            raise MeetingError(f"{person} is not a member of this group.")
    return meeting_update(
        meeting=meeting, actor=actor, facilitator=facilitator, timekeeper=timekeeper
    )


# --- Agenda ----------------------------------------------------------------------------------


def agenda_item_add(
    *, group: Group, meeting: Meeting | None, proposer: User, title: str, kind: str, minutes: int
) -> AgendaItem:
    """Propose an item for a meeting, or for the backlog when ``meeting`` is None."""
    _require_member(group, proposer)
    if meeting is not None and meeting.group_id != group.pk:
        raise MeetingError("That meeting belongs to another group.")
    if kind not in AgendaItem.Kind.values:
        raise MeetingError(f"“{kind}” is not a kind of agenda item.")
    if not 1 <= minutes <= 240:
        raise MeetingError("A time box is between 1 and 240 minutes.")
    with transaction.atomic():
        last = AgendaItem.objects.filter(group=group, meeting=meeting).aggregate(
            last=Max("position")
        )["last"]
        item = AgendaItem.objects.create(
            group=group,
            meeting=meeting,
            proposer=proposer,
            title=title,
            kind=kind,
            minutes=minutes,
            position=(last or 0) + 1,
        )
        audit_record(action="agenda.item_added", actor=proposer, target=item, kind=kind)
    return item


def agenda_vote_toggle(*, item: AgendaItem, user: User) -> bool:
    """Vote for an item to be discussed early, or take the vote back; True when now voted."""
    _require_member(item.group, user)
    deleted, _ = AgendaVote.objects.filter(item=item, user=user).delete()
    if deleted:
        return False
    AgendaVote.objects.create(item=item, user=user)
    return True


def agenda_order_by_votes(*, meeting: Meeting, actor: User) -> None:
    """Put the items most members voted for first (ties keep their order)."""
    from django.db.models import Count

    _require_member(meeting.group, actor)
    items = meeting.agenda_items.annotate(n=Count("votes")).order_by("-n", "position", "id")
    _renumber(list(items))


def agenda_move(*, item: AgendaItem, actor: User, direction: str) -> None:
    """Move an item one place up or down in its meeting's agenda."""
    _require_member(item.group, actor)
    siblings = list(
        AgendaItem.objects.filter(group=item.group, meeting=item.meeting).order_by("position", "id")
    )
    index = siblings.index(item)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _renumber(siblings)


def _renumber(items: list[AgendaItem]) -> None:
    with transaction.atomic():
        for position, item in enumerate(items, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def agenda_item_mark(
    *, item: AgendaItem, actor: User, status: str, actual_minutes: int | None = None
) -> AgendaItem:
    """Mark an item discussed, carried (it moves to the next meeting) or dropped."""
    _require_member(item.group, actor)
    if status not in AgendaItem.Status.values:
        raise MeetingError(f"“{status}” is not an agenda status.")
    if actual_minutes is not None and not 0 <= actual_minutes <= 600:
        raise MeetingError("Minutes spent are between 0 and 600.")
    with transaction.atomic():
        item.status = status
        item.actual_minutes = actual_minutes
        item.save(update_fields=["status", "actual_minutes"])
        if status == AgendaItem.Status.CARRIED and not item.carried_to.exists():
            _carry_forward(item)
        audit_record(action="agenda.item_marked", actor=actor, target=item, status=status)
    return item


def _carry_forward(item: AgendaItem) -> AgendaItem:
    after = item.meeting.starts_at if item.meeting else timezone.now()
    following = (
        Meeting.objects.filter(
            group=item.group, starts_at__gt=after, status=Meeting.Status.SCHEDULED
        )
        .order_by("starts_at")
        .first()
    )
    last = AgendaItem.objects.filter(group=item.group, meeting=following).aggregate(
        last=Max("position")
    )["last"]
    return AgendaItem.objects.create(
        group=item.group,
        meeting=following,
        proposer=item.proposer,
        title=item.title,
        kind=item.kind,
        minutes=item.minutes,
        carried_from=item,
        carry_count=item.carry_count + 1,
        position=(last or 0) + 1,
    )


# --- Notes -----------------------------------------------------------------------------------


class NotesConflict(MeetingError):
    """Someone saved the notes after this editor opened them; carries their version."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(
            f"{meeting.notes_updated_by or 'Another member'} saved these notes while you were "
            "editing. Both versions are shown below: merge them and save again."
        )
        self.meeting = meeting


def meeting_notes_save(*, meeting: Meeting, user: User, text: str, base_version: int) -> Meeting:
    """Save the notes unless someone saved a newer version since ``base_version`` was read."""
    _require_member(meeting.group, user)
    with transaction.atomic():
        current = (
            # Lock only the meeting row: PostgreSQL refuses FOR UPDATE on an outer join.
            Meeting.objects.select_for_update(of=("self",))
            .select_related("notes_updated_by")
            .get(pk=meeting.pk)
        )
        if current.notes_version != base_version:
            raise NotesConflict(current)
        current.notes = text
        current.notes_version = base_version + 1
        current.notes_updated_by = user
        current.notes_updated_at = timezone.now()
        current.save(
            update_fields=["notes", "notes_version", "notes_updated_by", "notes_updated_at"]
        )
        audit_record(
            action="meeting.notes_saved", actor=user, target=current, version=current.notes_version
        )
    return current


# --- Action items and attendance -------------------------------------------------------------


def action_item_add(
    *,
    group: Group,
    meeting: Meeting | None,
    owner: User,
    title: str,
    due_on: dt.date | None,
    actor: User,
) -> ActionItem:
    """Record a commitment; it returns at each meeting until it is done."""
    members = current_member_ids(group=group)
    if actor.pk not in members:
        raise MeetingError("Only the group's members can do this.")
    if owner.pk not in members:
        raise MeetingError(f"{owner} is not a member of this group.")
    item = ActionItem.objects.create(
        group=group, meeting=meeting, owner=owner, title=title, due_on=due_on
    )
    audit_record(action="action.added", actor=actor, target=item)
    return item


def action_item_set_status(*, item: ActionItem, status: str, actor: User) -> ActionItem:
    """Mark an action item open, done or dropped."""
    _require_member(item.group, actor)
    if status not in ActionItem.Status.values:
        raise MeetingError(f"“{status}” is not an action status.")
    item.status = status
    item.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
    item.save(update_fields=["status", "closed_at"])
    audit_record(action="action.status", actor=actor, target=item, status=status)
    return item


def attendance_record(*, meeting: Meeting, statuses: Mapping[int, str], actor: User) -> None:
    """Record who came; the meeting counts as held once attendance is taken."""
    _require_member(meeting.group, actor)
    members = {
        m.user_id for m in meeting.group.memberships.filter(joined_on__lte=meeting.starts_at.date())
    }
    unknown = set(statuses) - members
    if unknown:
        raise MeetingError("Attendance can only be taken for members of the group.")
    if any(s not in Attendance.Status.values for s in statuses.values()):
        raise MeetingError("Each member is present, late, excused or absent.")
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError("This meeting was cancelled; reopen it before taking attendance.")
    with transaction.atomic():
        for user_id, status in statuses.items():
            Attendance.objects.update_or_create(
                meeting=meeting, user_id=user_id, defaults={"status": status}
            )
        if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at <= timezone.now():
            meeting_update(meeting=meeting, actor=actor, status=Meeting.Status.HELD)
        audit_record(
            action="meeting.attendance", actor=actor, target=meeting, recorded=len(statuses)
        )


# --- Calendar feeds --------------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    """The stored form of a feed token."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, user: User) -> str:
    """A new secret feed address for the person (any earlier one stops working); the token."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        try:
            CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token))
        except IntegrityError as error:  # pragma: no cover - a 256-bit collision
            raise MeetingError("Could not create a feed address; try again.") from error
        audit_record(action="calendar.feed_created", actor=user, target=user)
    return token


def calendar_feed_revoke(*, user: User) -> int:
    """Stop the person's feed address working; how many were revoked."""
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_record(action="calendar.feed_revoked", actor=user, target=user, revoked=revoked)
    return revoked
