"""Reads for meetings: upcoming and past meetings, the agenda with its warnings, poll results,
history and attendance rates, focus minutes, calendar feeds."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.meetings import slots
from peermentor.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AvailabilityPoll,
    CalendarFeed,
    Meeting,
    PollOption,
    Vote,
)
from peermentor.programs.models import Charter, Group, Membership

PRESENT_STATUSES = (Attendance.Status.PRESENT, Attendance.Status.LATE)


def current_members(*, group: Group) -> list[User]:
    """The group's current members, by name."""
    return list(
        User.objects.filter(memberships__group=group, memberships__left_on__isnull=True).order_by(
            "name", "pk"
        )
    )


def charter_in_force(*, group: Group) -> Charter | None:
    """The charter the members agreed, if any."""
    return group.charters.filter(status=Charter.Status.ADOPTED).first()


def meetings_upcoming(*, group: Group, limit: int = 10) -> QuerySet[Meeting]:
    """The group's next meetings, soonest first."""
    return group.meetings.filter(starts_at__gte=timezone.now() - dt.timedelta(hours=3)).order_by(
        "starts_at"
    )[:limit]


def next_meeting(*, group: Group) -> Meeting | None:
    """The next scheduled meeting of the group."""
    return (
        group.meetings.filter(
            starts_at__gte=timezone.now() - dt.timedelta(hours=3), status=Meeting.Status.SCHEDULED
        )
        .order_by("starts_at")
        .first()
    )


@dataclass
class AgendaView:
    """The agenda of a meeting with its time boxes and what the page should warn about."""

    items: list[AgendaItem]
    planned_minutes: int
    personal_minutes: int
    over_by: int
    personal_over_by: int
    personal_limit: int | None


def agenda_for(*, meeting: Meeting, user: User) -> AgendaView:
    """The meeting's agenda in order, with vote counts, the viewer's votes and the warnings."""
    items = list(
        meeting.agenda_items.select_related("proposer", "carried_from")
        .annotate(vote_count=Count("votes"), my_vote=Count("votes", filter=Q(votes__user=user)))
        .order_by("position", "id")
    )
    planned = sum(item.minutes for item in items if item.status != AgendaItem.Status.DROPPED)
    personal = sum(item.minutes for item in items if item.kind == AgendaItem.Kind.PERSONAL)
    charter = charter_in_force(group=meeting.group)
    limit = charter.personal_checkin_minutes if charter else None
    return AgendaView(
        items=items,
        planned_minutes=planned,
        personal_minutes=personal,
        over_by=max(0, planned - meeting.duration_minutes),
        personal_over_by=max(0, personal - limit) if limit is not None else 0,
        personal_limit=limit,
    )


def backlog_for(*, group: Group) -> QuerySet[AgendaItem]:
    """Items proposed for no meeting in particular."""
    return group.agenda_items.filter(meeting__isnull=True, status=AgendaItem.Status.PROPOSED)


def open_actions(*, group: Group) -> QuerySet[ActionItem]:
    """Commitments still open: they come back at every meeting until done."""
    return group.action_items.filter(status=ActionItem.Status.OPEN).select_related(
        "owner", "meeting"
    )


def attendance_for(*, meeting: Meeting) -> dict[int, str]:
    """Each member's recorded attendance at the meeting."""
    return dict(meeting.attendance.values_list("user_id", "status"))


def meeting_members(*, meeting: Meeting) -> list[User]:
    """People who were members of the group on the day of the meeting."""
    day = meeting.starts_at.date()
    return list(
        User.objects.filter(
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=day),
            memberships__group=meeting.group,
            memberships__joined_on__lte=day,
        )
        .distinct()
        .order_by("name", "pk")
    )


# --- Polls -----------------------------------------------------------------------------------


def polls_for(*, group: Group) -> QuerySet[AvailabilityPoll]:
    """The group's polls, open ones first."""
    return group.polls.annotate(
        option_count=Count("options", distinct=True),
        voter_count=Count("options__votes__user", distinct=True),
    ).order_by("status", "-created_at")


@dataclass
class PollView:
    """A poll's options ranked, with everyone's answers and the viewer's own."""

    poll: AvailabilityPoll
    options: list[PollOption]
    ranking: list[slots.OptionRanking]
    answers: dict[int, dict[int, str]]
    mine: dict[int, str]
    members: list[User]
    waiting_for: list[User]
    required_ids: set[int]


def poll_view(*, poll: AvailabilityPoll, user: User) -> PollView:
    """Everything the poll page shows, in a fixed number of queries."""
    options = list(poll.options.prefetch_related(Prefetch("votes", queryset=Vote.objects.all())))
    members = current_members(group=poll.group)
    answers: dict[int, dict[int, str]] = defaultdict(dict)
    for option in options:
        for vote in option.votes.all():
            answers[vote.user_id][option.pk] = vote.answer
    required_ids = set(poll.required_members.values_list("pk", flat=True))
    ranking = slots.rank_poll_options(
        [
            slots.PollOption(
                id=o.pk,
                start=o.starts_at,
                end=o.starts_at + dt.timedelta(minutes=poll.duration_minutes),
            )
            for o in options
        ],
        {member_id: dict(votes) for member_id, votes in answers.items()},
        required=required_ids,
        members={m.pk for m in members},
    )
    return PollView(
        poll=poll,
        options=options,
        ranking=ranking,
        answers=dict(answers),
        mine=answers.get(user.pk, {}),
        members=members,
        waiting_for=[m for m in members if m.pk not in answers],
        required_ids=required_ids,
    )


# --- History, attendance and focus -----------------------------------------------------------


def meeting_history(*, group: Group) -> dict[str, Any]:
    """Every meeting with attendance and agenda counts, meetings per year, attendance rates."""
    meetings = list(
        group.meetings.annotate(
            present=Count(
                "attendance", filter=Q(attendance__status__in=PRESENT_STATUSES), distinct=True
            ),
            recorded=Count("attendance", distinct=True),
            items=Count("agenda_items", distinct=True),
        )
        .select_related("facilitator", "timekeeper")
        .order_by("-starts_at")
    )
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    per_year = sorted(Counter(m.starts_at.year for m in held).items())
    return {
        "meetings": meetings,
        "held_count": len(held),
        "per_year": per_year,
        "rates": attendance_rates(group=group),
    }


@dataclass
class AttendanceRate:
    """How often one member came to the meetings held while they were in the group."""

    user: User
    came: int
    held: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.came / self.held) if self.held else None


def attendance_rates(*, group: Group) -> list[AttendanceRate]:
    """Each member's attendance over the held meetings of their time in the group."""
    memberships = list(group.memberships.select_related("user").order_by("user__name"))
    held = list(group.meetings.filter(status=Meeting.Status.HELD).values_list("pk", "starts_at"))
    came = Counter(
        Attendance.objects.filter(
            meeting__group=group, status__in=PRESENT_STATUSES, meeting__status=Meeting.Status.HELD
        ).values_list("user_id", flat=True)
    )
    rates: dict[int, AttendanceRate] = {}
    for membership in memberships:
        eligible = sum(1 for _, start in held if _was_member(membership, start.date()))
        rate = rates.setdefault(membership.user_id, AttendanceRate(membership.user, 0, 0))
        rate.held += eligible
        rate.came = came.get(membership.user_id, 0)
    return list(rates.values())


def _was_member(membership: Membership, day: dt.date) -> bool:
    return membership.joined_on <= day and (membership.left_on is None or day <= membership.left_on)


@dataclass
class Focus:
    """Planned and actual minutes of a held meeting, professional against personal."""

    meeting: Meeting
    planned_professional: int
    planned_personal: int
    actual_professional: int
    actual_personal: int


def focus_by_meeting(*, group: Group) -> list[Focus]:
    """For each held meeting, the minutes planned and spent on professional and personal items."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    rows = AgendaItem.objects.filter(meeting__group=group, meeting__status=Meeting.Status.HELD)
    for meeting_id, kind, planned, actual in rows.values_list(
        "meeting_id", "kind", "minutes", "actual_minutes"
    ):
        personal = kind == AgendaItem.Kind.PERSONAL
        totals[meeting_id][1 if personal else 0] += planned
        totals[meeting_id][3 if personal else 2] += actual or 0
    meetings = group.meetings.filter(pk__in=totals).order_by("starts_at")
    return [Focus(m, *totals[m.pk]) for m in meetings]


# --- Calendar --------------------------------------------------------------------------------


def feed_owner(*, token_hash: str) -> User | None:
    """The person whose live feed has this token hash."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def has_live_feed(*, user: User) -> bool:
    """Whether the person has a feed address that works."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()


def meetings_for_feed(*, user: User) -> QuerySet[Meeting]:
    """Meetings of the person's current groups, from a year back."""
    groups = Membership.objects.filter(user=user, left_on__isnull=True).values("group_id")
    since = timezone.now() - dt.timedelta(days=365)
    return (
        Meeting.objects.filter(group_id__in=groups, starts_at__gte=since)
        .select_related("group")
        .order_by("starts_at")
    )
