"""Reads for goals (due soon, stalled, shared, the accountability round, the development plan),
curriculum topics and plans, resources and deadlines, and counts for program directors."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.goals.models import CurriculumTopic, Goal, GoalCheckIn, Resource, TopicPlan
from peermentor.meetings.models import ActionItem, Meeting
from peermentor.programs.models import Group, Membership, Program

DUE_SOON = dt.timedelta(days=30)


def _with_history(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    return goals.select_related("group", "owner").prefetch_related(
        "milestones",
        Prefetch("check_ins", queryset=GoalCheckIn.objects.select_related("meeting", "milestone")),
    )


def latest_progress(goal: Goal) -> int | None:
    """The most recent percentage recorded for a goal (check-ins must be prefetched)."""
    return next((c.progress for c in goal.check_ins.all() if c.progress is not None), None)


def _last_two_held(groups: set[int], now: dt.datetime) -> dict[int, list[dt.datetime]]:
    starts: dict[int, list[dt.datetime]] = defaultdict(list)
    held = Meeting.objects.filter(
        group_id__in=groups, status=Meeting.Status.HELD, starts_at__lte=now
    ).order_by("group_id", "-starts_at")
    for group_id, start in held.values_list("group_id", "starts_at"):
        if len(starts[group_id]) < 2:
            starts[group_id].append(start)
    return starts


def is_stalled(goal: Goal, last_two: list[dt.datetime]) -> bool:
    """Active, older than the group's last two meetings, and no check-in since the first."""
    if goal.status != Goal.Status.ACTIVE or len(last_two) < 2:
        return False
    since = last_two[1]
    if goal.created_at >= since:
        return False
    return not any(
        c.created_at >= since or (c.meeting and c.meeting.starts_at >= since)
        for c in goal.check_ins.all()
    )


@dataclass
class MyGoals:
    """A member's goals, with what is due soon and what has stalled."""

    goals: list[Goal]
    due_soon: list[Goal] = field(default_factory=list)
    stalled: list[Goal] = field(default_factory=list)


def my_goals(*, user: User, today: dt.date | None = None) -> MyGoals:
    """All of a member's goals, flagged when due within 30 days or stalled."""
    today = today or timezone.localdate()
    goals = list(_with_history(Goal.objects.filter(owner=user)).order_by("status", "target_date"))
    last_two = _last_two_held({g.group_id for g in goals}, timezone.now())
    result = MyGoals(goals=goals)
    for goal in goals:
        goal.latest = latest_progress(goal)  # type: ignore[attr-defined]
        active = goal.status == Goal.Status.ACTIVE
        if active and goal.target_date and goal.target_date <= today + DUE_SOON:
            result.due_soon.append(goal)
        if is_stalled(goal, last_two.get(goal.group_id, [])):
            result.stalled.append(goal)
    return result


def shared_goals(*, group: Group) -> list[Goal]:
    """Goals the group's current members share with it."""
    current = Membership.objects.filter(group=group, left_on__isnull=True).values("user_id")
    goals = _with_history(
        group.goals.exclude(visibility=Goal.Visibility.PRIVATE).filter(owner_id__in=current)
    ).order_by("owner__name", "target_date")
    result = list(goals)
    for goal in result:
        goal.latest = latest_progress(goal)  # type: ignore[attr-defined]
    return result


@dataclass
class MemberRound:
    """One member in the accountability round: their shared goals and open commitments."""

    member: User
    goals: list[Goal]
    actions: list[ActionItem]


def accountability_round(*, meeting: Meeting, viewer: User) -> list[MemberRound]:
    """Every current member's shared goals and open actions; the viewer's private goals too."""
    group = meeting.group
    members = list(
        User.objects.filter(memberships__group=group, memberships__left_on__isnull=True).order_by(
            "name"
        )
    )
    goals = _with_history(
        group.goals.filter(owner__in=members).filter(
            Q(status=Goal.Status.ACTIVE)
            & (~Q(visibility=Goal.Visibility.PRIVATE) | Q(owner=viewer))
        )
    )
    actions = group.action_items.filter(status=ActionItem.Status.OPEN, owner__in=members)
    by_owner: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        goal.latest = latest_progress(goal)  # type: ignore[attr-defined]
        by_owner[goal.owner_id].append(goal)
    acts: dict[int, list[ActionItem]] = defaultdict(list)
    for action in actions:
        acts[action.owner_id].append(action)
    return [MemberRound(m, by_owner[m.pk], acts[m.pk]) for m in members]


def development_plan(*, user: User) -> list[Goal]:
    """Every goal of the member, with milestones and check-ins, for the development plan."""
    goals = list(_with_history(Goal.objects.filter(owner=user)).order_by("category", "title"))
    for goal in goals:
        goal.latest = latest_progress(goal)  # type: ignore[attr-defined]
    return goals


# --- Curriculum and resources ----------------------------------------------------------------


def topics_of(*, program: Program) -> QuerySet[CurriculumTopic]:
    """The program's topic library, in order, with how many groups planned each."""
    return program.topics.annotate(planned=Count("plans__group", distinct=True))


def year_plan(*, group: Group) -> QuerySet[TopicPlan]:
    """Which meeting covers which topic, in meeting order."""
    return group.topic_plans.select_related("topic", "meeting", "agenda_item").order_by(
        "meeting__starts_at"
    )


def resources_of(*, group: Group) -> QuerySet[Resource]:
    """The group's board: opportunities with deadlines first, then the newest."""
    return group.resources.select_related("posted_by").order_by("deadline", "-created_at")


def deadlines_for(
    *, user: User, today: dt.date | None = None, horizon: int = 60
) -> QuerySet[Resource]:
    """Deadlines in the person's current groups within the next ``horizon`` days."""
    today = today or timezone.localdate()
    groups = Membership.objects.filter(user=user, left_on__isnull=True).values("group_id")
    return (
        Resource.objects.filter(
            group_id__in=groups, deadline__gte=today, deadline__lte=today + dt.timedelta(horizon)
        )
        .select_related("group")
        .order_by("deadline")
    )
