"""Demo goals with check-ins across the 2006–2010 meetings, a year plan and a resources board."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.goals import services
from peermentor.goals.models import Goal, GoalCheckIn
from peermentor.meetings.models import AgendaItem, Meeting
from peermentor.programs.models import Group, Program

GOALS = [
    ("Publish the residents' workshop evaluation", "scholarship", "group"),
    ("Build my educator portfolio for promotion", "career", "program"),
    ("Lead the clerkship teaching sessions", "teaching", "group"),
    ("Submit an education grant", "scholarship", "group"),
    ("Protect one writing morning a week", "well_being", "private"),
    ("Join the curriculum committee", "leadership", "group"),
]
NOTES = [
    "Outline done",
    "Draft shared with the group",
    "Waiting on co-authors",
    "Revised after feedback",
    "Submitted",
    "Stuck on the data, asked for help",
]


def load_goal_history(group: Group, members: list[User]) -> None:
    """One or two goals per junior member, with check-ins at the historical meetings."""
    rng = random.Random(2010)  # noqa: S311 -- demo data, not security
    meetings = list(group.meetings.filter(status=Meeting.Status.HELD).order_by("starts_at"))
    for index, member in enumerate(members[:6]):
        for title, category, visibility in (GOALS[index], GOALS[(index + 3) % len(GOALS)]):
            goal = services.goal_create(
                owner=member,
                group=group,
                title=title,
                category=category,
                visibility=visibility,
                milestones=["Plan", "First draft", "Done"],
                target_date=dt.date(2010, 6, 30),
            )
            Goal.objects.filter(pk=goal.pk).update(created_at=meetings[0].starts_at)
            _check_ins(goal, meetings, rng)


def _check_ins(goal: Goal, meetings: list[Meeting], rng: random.Random) -> None:
    progress = 0
    chosen = sorted(rng.sample(range(len(meetings)), 8))
    for step, index in enumerate(chosen):
        progress = min(100, progress + rng.randint(8, 20))
        checkin = GoalCheckIn.objects.create(
            goal=goal,
            meeting=meetings[index],
            progress=progress,
            note=rng.choice(NOTES),
            blocker="Clinical load this month" if step == 3 else "",
        )
        GoalCheckIn.objects.filter(pk=checkin.pk).update(created_at=meetings[index].starts_at)
    if progress >= 100 or rng.random() < 0.5:
        Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.ACHIEVED)


def load_first_year_plan(group: Group, member: User) -> None:
    """The 2006 group's plan for 2007: four starter topics on four of its meetings, discussed."""
    held = list(group.meetings.filter(starts_at__year=2007).order_by("starts_at"))
    titles = [
        "Promotion and the educator portfolio",
        "Manuscript writing",
        "Grant writing",
        "Work–life integration",
    ]
    for meeting, title in zip(held[::2], titles, strict=False):
        topic = group.program.topics.get(title=title)
        plan = services.topic_adopt(group=group, topic=topic, meeting=meeting, actor=member)
        AgendaItem.objects.filter(pk=plan.agenda_item_id).update(
            status=AgendaItem.Status.DISCUSSED, actual_minutes=30
        )


def load_curriculum(program: Program, director: User, group: Group, member: User) -> None:
    """The starter topics, a plan for the third group's next meeting, and a board."""
    services.topics_load_starter_set(program=program, actor=director)
    upcoming = group.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at")
    topic = program.topics.get(title="Career planning")
    if (meeting := upcoming.first()) is not None:
        services.topic_adopt(group=group, topic=topic, meeting=meeting, actor=member)
    services.resource_post(
        group=group,
        actor=member,
        kind="opportunity",
        opportunity="abstracts",
        title="Regional medical education meeting: call for abstracts",
        url="https://example.org/call",
        deadline=timezone.localdate() + dt.timedelta(days=30),
        description="Workshops and short communications; 300-word abstracts.",
    )
    services.resource_post(
        group=group,
        actor=member,
        kind="link",
        title="Writing a teaching philosophy statement",
        url="https://example.org/teaching-philosophy",
    )
