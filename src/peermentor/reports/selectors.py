"""Reads for the home page, the dashboards and the program evaluation report.

Reports read every feature app (feature apps never read reports). Every read here runs a fixed
number of queries whatever the size of the program; the director's figures are aggregates with
any cell describing fewer than ``SMALL_CELL`` people suppressed, and a second one with a lone
hidden cell (``core.disclosure``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from peermentor.accounts.models import Rank, Track, User
from peermentor.core import disclosure
from peermentor.goals import selectors as goals
from peermentor.goals.models import Goal, Resource
from peermentor.meetings import selectors as meetings
from peermentor.meetings.models import ActionItem, AgendaItem, Attendance, Meeting
from peermentor.programs.models import Group, LeaveReason, Membership, Program
from peermentor.reports import figures
from peermentor.reports.survival import Stay, Step, kaplan_meier, staying_at
from peermentor.scholarship import network, productivity
from peermentor.scholarship import selectors as scholarship
from peermentor.scholarship.models import Authorship
from peermentor.surveys.models import WaveInvitee

SMALL_CELL = disclosure.SMALL_CELL
DASHBOARD_SECONDS = 300  # the director's figures are recomputed at most every five minutes
HELD = Meeting.Status.HELD
PRESENT = (Attendance.Status.PRESENT, Attendance.Status.LATE)
# Finishing the program or the group closing is not dropping out: such stays are censored.
NOT_DROPPING_OUT = (LeaveReason.COMPLETED, LeaveReason.GROUP_CLOSED)
JUNIOR_RANKS = (Rank.INSTRUCTOR, Rank.ASSISTANT)
SENIOR_RANKS = (Rank.ASSOCIATE, Rank.PROFESSOR)


# --- Member home -----------------------------------------------------------------------------


def next_meetings_for(*, user: User, limit: int = 5) -> QuerySet[Meeting]:
    """The person's next scheduled meetings across their current groups."""
    return (
        Meeting.objects.filter(
            group__memberships__user=user,
            group__memberships__left_on__isnull=True,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=timezone.now() - dt.timedelta(hours=3),
        )
        .select_related("group")
        .order_by("starts_at")[:limit]
    )


def open_actions_for(*, user: User) -> QuerySet[ActionItem]:
    """Commitments the person still has open in their current groups."""
    return (
        ActionItem.objects.filter(
            owner=user,
            status=ActionItem.Status.OPEN,
            group__memberships__user=user,
            group__memberships__left_on__isnull=True,
        )
        .select_related("group")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class Activity:
    """Something that happened lately in one of the person's groups."""

    when: dt.datetime
    group_id: int
    group: str
    kind: str
    text: str
    meeting_id: int | None = None


def recent_activity(*, user: User, days: int = 45, limit: int = 8) -> list[Activity]:
    """Meetings held, items proposed and resources posted lately in the person's groups."""
    since = timezone.now() - dt.timedelta(days=days)
    groups = Membership.objects.filter(user=user, left_on__isnull=True).values("group_id")
    held = Meeting.objects.filter(group_id__in=groups, status=HELD, starts_at__gte=since)
    items = AgendaItem.objects.filter(group_id__in=groups, created_at__gte=since)
    posted = Resource.objects.filter(group_id__in=groups, created_at__gte=since)
    rows = [
        Activity(m.starts_at, m.group_id, m.group.name, "Meeting held", "", m.pk)
        for m in held.select_related("group").order_by("-starts_at")[:limit]
    ]
    rows += [
        Activity(i.created_at, i.group_id, i.group.name, "Agenda item proposed", i.title)
        for i in items.select_related("group").order_by("-created_at")[:limit]
    ]
    rows += [
        Activity(r.created_at, r.group_id, r.group.name, "Resource posted", r.title)
        for r in posted.select_related("group").order_by("-created_at")[:limit]
    ]
    return sorted(rows, key=lambda a: a.when, reverse=True)[:limit]


def member_home(*, user: User) -> dict[str, Any]:
    """What the member's home page shows besides their groups."""
    upcoming = list(next_meetings_for(user=user))
    agenda = meetings.agenda_for(meeting=upcoming[0], user=user) if upcoming else None
    return {
        "next_meetings": upcoming,
        "next_agenda": agenda,
        "open_actions": open_actions_for(user=user),
        "goals_due": goals.my_goals(user=user).due_soon,
        "deadlines": goals.deadlines_for(user=user),
        "activity": recent_activity(user=user),
    }


# --- Group dashboard (members only) ----------------------------------------------------------


@dataclass(frozen=True)
class KindMinutes:
    """Planned and actual minutes of one kind of agenda item over the group's held meetings."""

    kind: str
    label: str
    planned: int
    actual: int


def focus_by_kind(*, group: Group) -> list[KindMinutes]:
    """Minutes planned and spent per kind of agenda item, over every held meeting."""
    rows = (
        AgendaItem.objects.filter(meeting__group=group, meeting__status=HELD)
        .values("kind")
        .annotate(planned=Sum("minutes"), actual=Sum("actual_minutes"))
    )
    found = {r["kind"]: r for r in rows}
    return [
        KindMinutes(kind, str(label), found[kind]["planned"] or 0, found[kind]["actual"] or 0)
        for kind, label in AgendaItem.Kind.choices
        if kind in found
    ]


def group_dashboard(*, group: Group) -> dict[str, Any]:
    """Meetings per year, attendance per member, focus by kind and shared goals of a group."""
    history = meetings.meeting_history(group=group)
    per_year = history["per_year"]
    focus = focus_by_kind(group=group)
    shared = goals.shared_goals(group=group)
    return {
        "held_count": history["held_count"],
        "per_year": per_year,
        "per_year_svg": figures.bars(
            [str(y) for y, _ in per_year], [n for _, n in per_year], ylabel="Meetings held"
        )
        if per_year
        else None,
        "rates": history["rates"],
        "focus": focus,
        "focus_svg": _focus_svg(focus),
        "shared_goals": shared,
        "goals_met": sum(1 for g in shared if g.status == Goal.Status.ACHIEVED),
    }


def _focus_svg(focus: list[KindMinutes]) -> str | None:
    if not focus:
        return None
    from peermentor.core.charts import grouped_bars

    return grouped_bars(
        [f.label for f in focus],
        {"Planned": [f.planned for f in focus], "Actual": [f.actual for f in focus]},
        ylabel="Minutes",
    )


# --- Shared pieces of the director's dashboard and the report --------------------------------


@dataclass(frozen=True)
class Span:
    """A membership as the figures need it."""

    group_id: int
    user_id: int
    role: str
    joined_on: dt.date
    left_on: dt.date | None
    reason: str


def _spans_of(memberships: QuerySet[Membership]) -> list[Span]:
    return [
        Span(*row)
        for row in memberships.values_list(
            "group_id", "user_id", "role", "joined_on", "left_on", "leave_reason"
        )
    ]


def stays(spans: list[Span], until: dt.date) -> list[Stay]:
    """Each membership's days in the group up to ``until``; dropping out is the event."""
    result = []
    for span in spans:
        left = span.left_on is not None and span.left_on <= until
        end = span.left_on if left and span.left_on else until
        dropped = left and span.reason not in NOT_DROPPING_OUT
        result.append(Stay(max((end - span.joined_on).days, 0), dropped))
    return result


@dataclass
class Retention:
    """How many stayed, how many dropped out, and the survival curve with its table."""

    members: int
    dropped: int
    finished: int
    steps: list[Step]
    one_year: float
    two_years: float
    svg: str | None = None

    @property
    def retained(self) -> int:
        return self.members - self.dropped

    @property
    def retained_percent(self) -> int | None:
        return round(100 * self.retained / self.members) if self.members else None


def retention(spans: list[Span], until: dt.date) -> Retention:
    """The retention figures of these memberships, dropping out as the event."""
    periods = stays(spans, until)
    steps = kaplan_meier(periods)
    finished = sum(
        1 for s in spans if s.left_on and s.left_on <= until and s.reason in NOT_DROPPING_OUT
    )
    return Retention(
        members=len(periods),
        dropped=sum(1 for p in periods if p.left),
        finished=finished,
        steps=[s for s in steps if s.left or s.day == 0],
        one_year=staying_at(steps, 365),
        two_years=staying_at(steps, 730),
        svg=figures.survival_curve(steps) if periods else None,
    )


def _collaboration(
    spans: list[Span], today: dt.date, window: scholarship.Window
) -> dict[int, dict[str, Any]]:
    """Per group, the before and during networks from one read of shared works (the same pure
    functions and windows as the group's Works page)."""
    member_ids = {s.user_id for s in spans}
    rows = Authorship.objects.filter(
        member_id__in=member_ids, claim=Authorship.Claim.CONFIRMED
    ).values_list("member_id", "work_id", "work__year", "work__date")
    authors: dict[int, set[int]] = defaultdict(set)
    dates: dict[int, dt.date | None] = {}
    for member_id, work_id, year, date in rows:
        authors[work_id].add(member_id)
        dates[work_id] = productivity.work_date(year, date)
    group_of: dict[int, set[int]] = defaultdict(set)
    by_group: dict[int, list[productivity.MembershipSpan]] = defaultdict(list)
    for s in spans:
        group_of[s.user_id].add(s.group_id)
        by_group[s.group_id].append(_membership_span(s, window))
    # Each joint work goes to the groups holding two or more of its authors (one pass).
    works_of: dict[int, list[network.SharedWork]] = defaultdict(list)
    for work_id, members in authors.items():
        if len(members) < 2:
            continue
        shared = network.SharedWork(work_id, dates[work_id], frozenset(members))
        counts = Counter(g for m in members for g in group_of[m])
        for group_id, n in counts.items():
            if n > 1:
                works_of[group_id].append(shared)
    result = {}
    for group_id, group_spans in by_group.items():
        mine = works_of.get(group_id, [])
        before = network.collaboration_network(
            mine, group_spans, period="before", today=today, before_years=window.before
        )
        during = network.collaboration_network(mine, group_spans, period="during", today=today)
        result[group_id] = network.summary(before, during)
    return result


def _membership_span(span: Span, window: scholarship.Window) -> productivity.MembershipSpan:
    end = span.left_on
    if window.during:
        cap = productivity.years_before(span.joined_on, -window.during)
        end = min(end, cap) if end else cap
    return productivity.MembershipSpan(span.user_id, span.joined_on, end)


def _held_by_year(meetings_qs: QuerySet[Meeting]) -> list[tuple[int, int]]:
    rows = (
        meetings_qs.filter(status=HELD)
        .annotate(year=ExtractYear("starts_at"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("year")
    )
    return [(r["year"], r["n"]) for r in rows]


@dataclass
class Rate:
    """Attendance: records of someone present (or late) out of all records, for a label."""

    label: str
    present: int = 0
    recorded: int = 0
    people: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.present / self.recorded) if self.recorded else None


def _attendance(records: QuerySet[Attendance]) -> tuple[Rate, dict[int, Rate], dict[int, Rate]]:
    """Overall, per group and per year, from one grouped read."""
    rows = (
        records.filter(meeting__status=HELD)
        .annotate(year=ExtractYear("meeting__starts_at"))
        .values("meeting__group_id", "year")
        .annotate(recorded=Count("id"), present=Count("id", filter=Q(status__in=PRESENT)))
    )
    total, by_group, by_year = Rate("All"), {}, {}
    for r in rows:
        for rate in (
            total,
            by_group.setdefault(r["meeting__group_id"], Rate("")),
            by_year.setdefault(r["year"], Rate(str(r["year"]))),
        ):
            rate.present += r["present"]
            rate.recorded += r["recorded"]
    return total, by_group, dict(sorted(by_year.items()))


# --- Program director's dashboard ------------------------------------------------------------


@dataclass
class GroupRow:
    """One group on the director's dashboard (figures of fewer than five people hidden)."""

    name: str
    formed_on: dt.date
    closed_on: dt.date | None
    current: int
    held: int
    attendance: int | None
    goals: int | None
    goals_met: int | None
    ties_before: int | None
    ties_during: int | None


@dataclass
class WaveRate:
    """Invited and answered in one survey wave."""

    title: str
    opens_on: dt.date
    closes_on: dt.date
    invited: int
    answered: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited >= SMALL_CELL else None


@dataclass
class DirectorDashboard:
    """The aggregate figures of a program, ready to show (and to cache)."""

    computed_at: dt.datetime
    groups: list[GroupRow]
    members_current: int
    people: int
    held_by_year: list[tuple[int, int]]
    held_svg: str | None
    attendance: Rate
    attendance_by_year: list[Rate]
    attendance_svg: str | None
    retention: Retention
    goals_people: int
    goals_set: int | None
    goals_met: int | None
    productivity: dict[str, Any]
    productivity_svg: str | None
    ties_before: int
    ties_during: int
    new_ties: int
    collaboration_svg: str | None = None
    waves: list[WaveRate] = field(default_factory=list)
    waves_svg: str | None = None

    @property
    def groups_closed(self) -> int:
        return sum(1 for g in self.groups if g.closed_on)

    @property
    def groups_meeting(self) -> int:
        return len(self.groups) - self.groups_closed


def _goal_rows(program: Program) -> tuple[dict[int, dict[str, int]], dict[str, int]]:
    scope = Goal.objects.filter(group__program=program)
    per_group = {
        r["group_id"]: r
        for r in scope.values("group_id").annotate(
            people=Count("owner", distinct=True),
            goals=Count("id"),
            met=Count("id", filter=Q(status=Goal.Status.ACHIEVED)),
        )
    }
    totals = scope.aggregate(
        people=Count("owner", distinct=True),
        goals=Count("id"),
        met=Count("id", filter=Q(status=Goal.Status.ACHIEVED)),
    )
    return per_group, totals


def _wave_rates(invitees: QuerySet[WaveInvitee]) -> list[WaveRate]:
    rows = (
        invitees.values("wave_id", "wave__title", "wave__opens_on", "wave__closes_on")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered=True)))
        .order_by("wave__opens_on", "wave_id")
    )
    return [
        WaveRate(
            r["wave__title"], r["wave__opens_on"], r["wave__closes_on"], r["invited"], r["answered"]
        )
        for r in rows
    ]


def _group_row(
    group: Group,
    current: int,
    held: int,
    rate: Rate | None,
    goal_row: dict[str, int] | None,
    ties: dict[str, Any] | None,
    hidden: bool,
    goals_hidden: bool,
) -> GroupRow:
    return GroupRow(
        name=group.name,
        formed_on=group.formed_on,
        closed_on=group.closed_on,
        current=current,
        held=held,
        attendance=None if hidden or rate is None else rate.percent,
        goals=None if goals_hidden or goal_row is None else goal_row["goals"],
        goals_met=None if goals_hidden or goal_row is None else goal_row["met"],
        ties_before=None if hidden or ties is None else ties["ties_before"],
        ties_during=None if hidden or ties is None else ties["ties_during"],
    )


def _group_rows(
    groups: list[Group],
    spans_of: dict[int, list[Span]],
    held: dict[int, int],
    rates: dict[int, Rate],
    goal_rows: dict[int, dict[str, int]],
    ties: dict[int, dict[str, Any]],
) -> list[GroupRow]:
    """The groups table: figures of groups with fewer than five current members (five goal
    setters, for goals) hidden, and one more where a single one would be (the program's totals
    are on the page)."""
    current = {g.pk: sum(1 for s in spans_of.get(g.pk, []) if s.left_on is None) for g in groups}
    hidden = disclosure.hidden_cells(current)
    goals_hidden = disclosure.hidden_cells(
        {g.pk: goal_rows[g.pk]["people"] if g.pk in goal_rows else 0 for g in groups}
    )
    return [
        _group_row(
            g,
            current[g.pk],
            held.get(g.pk, 0),
            rates.get(g.pk),
            goal_rows.get(g.pk),
            ties.get(g.pk),
            hidden=g.pk in hidden,
            goals_hidden=g.pk in goals_hidden,
        )
        for g in groups
    ]


def director_dashboard(*, program: Program, today: dt.date | None = None) -> DirectorDashboard:
    """Every aggregate the program director sees, in a fixed number of queries."""
    today = today or timezone.localdate()
    window = scholarship.Window()
    groups = list(program.groups.order_by("formed_on", "name"))
    spans = _spans_of(Membership.objects.filter(group__program=program))
    by_group: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        by_group[s.group_id].append(s)
    held = dict(
        Meeting.objects.filter(group__program=program, status=HELD)
        .values_list("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    held_by_year = _held_by_year(Meeting.objects.filter(group__program=program))
    total, rate_by_group, rate_by_year = _attendance(
        Attendance.objects.filter(meeting__group__program=program)
    )
    goal_rows, goal_totals = _goal_rows(program)
    ties = _collaboration(spans, today, window)
    output = scholarship.program_scholarship(program=program, today=today, window=window)
    waves = _wave_rates(WaveInvitee.objects.filter(wave__program=program))
    pooled = output["pooled"]
    goals_small = disclosure.is_small(goal_totals["people"])
    rows = _group_rows(groups, by_group, held, rate_by_group, goal_rows, ties)
    return DirectorDashboard(
        computed_at=timezone.now(),
        groups=rows,
        members_current=len({s.user_id for s in spans if s.left_on is None}),
        people=len({s.user_id for s in spans}),
        held_by_year=held_by_year,
        held_svg=figures.bars(
            [str(y) for y, _ in held_by_year], [n for _, n in held_by_year], ylabel="Meetings held"
        )
        if held_by_year
        else None,
        attendance=total,
        attendance_by_year=list(rate_by_year.values()),
        attendance_svg=_attendance_svg(list(rate_by_year.values())),
        retention=retention(spans, today),
        goals_people=goal_totals["people"],
        goals_set=None if goals_small else goal_totals["goals"],
        goals_met=None if goals_small else goal_totals["met"],
        productivity=output,
        productivity_svg=_productivity_svg(pooled) if pooled.members else None,
        ties_before=sum(t["ties_before"] for t in ties.values()),
        ties_during=sum(t["ties_during"] for t in ties.values()),
        new_ties=sum(len(t["new_ties"]) for t in ties.values()),
        collaboration_svg=figures.collaboration_bars(
            [(r.name, r.ties_before, r.ties_during or 0) for r in rows if r.ties_before is not None]
        ),
        waves=waves,
        waves_svg=_waves_svg(waves),
    )


def _attendance_svg(rates: list[Rate]) -> str | None:
    if not rates:
        return None
    return figures.bars(
        [r.label for r in rates], [r.percent or 0 for r in rates], ylabel="Attendance (%)"
    )


def _productivity_svg(pooled: productivity.RateComparison) -> str:
    return figures.before_during(
        ["All members"], [pooled.before_rate or 0], [pooled.during_rate or 0]
    )


def _waves_svg(waves: list[WaveRate]) -> str | None:
    shown = [w for w in waves if w.percent is not None]
    if not shown:
        return None
    return figures.bars(
        [w.title[:18] for w in shown], [w.percent or 0 for w in shown], ylabel="Answered (%)"
    )


# --- Members by rank and track (report) -------------------------------------------------------


def people_profile(spans: list[Span]) -> dict[str, Any]:
    """Members by seniority, rank and track, counting each person once."""
    from peermentor.accounts.models import Profile

    ids = {s.user_id for s in spans}
    senior_role = {s.user_id for s in spans if s.role == "senior_mentor"}
    profiles = dict(
        (uid, (rank, track))
        for uid, rank, track in Profile.objects.filter(user_id__in=ids).values_list(
            "user_id", "rank", "track"
        )
    )
    ranks: Counter[str] = Counter()
    tracks: Counter[str] = Counter()
    junior = senior = 0
    for uid in ids:
        rank, track = profiles.get(uid, ("", ""))
        ranks[rank] += 1
        tracks[track] += 1
        if uid in senior_role or rank in SENIOR_RANKS:
            senior += 1
        elif rank in JUNIOR_RANKS:
            junior += 1
    rank_labels = dict(Rank.choices)
    track_labels = dict(Track.choices)
    return {
        "people": len(ids),
        "junior": junior,
        "senior": senior,
        "unknown": len(ids) - junior - senior,
        "ranks": [(str(rank_labels.get(k, "Not given")), n) for k, n in sorted(ranks.items())],
        "tracks": [(str(track_labels.get(k, "Not given")), n) for k, n in sorted(tracks.items())],
    }
