"""Goals: private by default, shared on purpose, checked in at meetings, stalled when forgotten."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from peermentor.core.authorization import allowed
from peermentor.goals import selectors, services
from peermentor.goals.models import Goal, GoalCheckIn
from peermentor.meetings import services as meetings
from peermentor.reports.selectors import director_dashboard
from tests.conftest import World, client_for


def _goal(world: World, visibility: str = "private", **extra: Any) -> Goal:
    return services.goal_create(
        owner=world.member,
        group=world.group,
        title="Submit a paper",
        category="scholarship",
        visibility=visibility,
        **extra,
    )


@pytest.mark.parametrize(
    ("visibility", "group_sees", "director_sees"),
    [("private", False, False), ("group", True, False), ("program", True, True)],
)
def test_who_sees_a_goal(
    world: World, visibility: str, group_sees: bool, director_sees: bool
) -> None:
    goal = _goal(world, visibility)
    assert allowed(world.member, "goals.see_goal", goal)
    assert allowed(world.other_member, "goals.see_goal", goal) is group_sees
    assert allowed(world.director, "goals.see_goal", goal) is director_sees
    for outsider in (world.outsider, world.evaluator, world.other_director, world.admin):
        assert not allowed(outsider, "goals.see_goal", goal)


def test_a_member_who_leaves_stops_seeing_shared_goals(world: World) -> None:
    from peermentor.programs import services as programs

    goal = _goal(world, "group")
    programs.membership_end(
        membership=world.membership_of(world.other_member),
        left_on=timezone.localdate(),
        reason="other",
        actor=world.director,
    )
    assert not allowed(world.other_member, "goals.see_goal", goal)


def test_only_the_owner_checks_in_and_milestones_are_reached(world: World) -> None:
    goal = _goal(world, "group", milestones=["Outline", "Draft"])
    outline = goal.milestones.get(title="Outline")
    with pytest.raises(services.GoalError, match="own goals"):
        services.checkin_record(goal=goal, actor=world.other_member, progress=10)
    services.checkin_record(
        goal=goal,
        actor=world.member,
        progress=40,
        milestone=outline,
        note="Outline agreed with co-authors",
    )
    outline.refresh_from_db()
    assert outline.reached_on == timezone.localdate()
    services.checkin_record(goal=goal, actor=world.member, progress=100)
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert [c.progress for c in goal.check_ins.all()] == [100, 40]


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"progress": 120}, "0 to 100"), ({}, "Say how it is going")],
)
def test_bad_check_ins_are_refused(world: World, fields: dict[str, Any], message: str) -> None:
    goal = _goal(world)
    with pytest.raises(services.GoalError, match=message):
        services.checkin_record(goal=goal, actor=world.member, **fields)
    assert not GoalCheckIn.objects.exists()


def test_check_in_at_another_groups_meeting_is_refused(world: World) -> None:
    goal = _goal(world)
    other = meetings.meeting_create(
        group=world.other_group,
        actor=world.outsider,
        starts_at=timezone.now() + dt.timedelta(days=1),
    )
    with pytest.raises(services.GoalError, match="another group"):
        services.checkin_record(goal=goal, actor=world.member, meeting=other, progress=5)


def _held(world: World, days_ago: int) -> Any:
    return meetings.meeting_create(
        group=world.group,
        actor=world.member,
        status="held",
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_goal_stalls_without_a_check_in_over_the_last_two_meetings(world: World) -> None:
    goal = _goal(world, target_date=timezone.localdate() + dt.timedelta(days=10))
    Goal.objects.filter(pk=goal.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    _held(world, 40)
    _held(world, 10)
    mine = selectors.my_goals(user=world.member)
    assert [g.pk for g in mine.stalled] == [goal.pk]
    assert [g.pk for g in mine.due_soon] == [goal.pk]
    services.checkin_record(goal=goal, actor=world.member, progress=20)
    assert selectors.my_goals(user=world.member).stalled == []


def test_accountability_round_lists_shared_goals_and_open_actions(world: World) -> None:
    shared = _goal(world, "group")
    private = _goal(world, "private")
    meeting = _held(world, 1)
    meetings.action_item_add(
        group=world.group,
        meeting=meeting,
        owner=world.member,
        title="Send the draft",
        due_on=None,
        actor=world.member,
    )
    rounds = {
        r.member: r
        for r in selectors.accountability_round(meeting=meeting, viewer=world.other_member)
    }
    assert [g.pk for g in rounds[world.member].goals] == [shared.pk]
    assert [a.title for a in rounds[world.member].actions] == ["Send the draft"]
    own = selectors.accountability_round(meeting=meeting, viewer=world.member)
    assert private.pk in [g.pk for r in own for g in r.goals]


def test_director_sees_counts_only_and_small_groups_are_suppressed(world: World) -> None:
    _goal(world, "group")
    figures = director_dashboard(program=world.program)
    assert figures.goals_set is None, "fewer than five people: nothing shown"
    assert all(row.goals is None for row in figures.groups)
    page = client_for(world.director).get(reverse("program_figures", args=["psych"]))
    assert "Submit a paper" not in page.content.decode()
    assert "fewer than 5 members" in page.content.decode()


def test_counts_show_once_five_people_have_goals(world: World) -> None:
    from peermentor.programs import services as programs
    from tests.conftest import make_user

    for index in range(5):
        person = make_user(f"p{index}@test.example", f"Person {index}")
        programs.membership_add(
            group=world.group,
            user=person,
            role="member",
            joined_on=timezone.localdate(),
            actor=world.director,
        )
        goal = services.goal_create(
            owner=person, group=world.group, title="Goal", category="teaching"
        )
        if index < 2:
            services.checkin_record(goal=goal, actor=person, progress=100)
    figures = director_dashboard(program=world.program)
    assert (figures.goals_people, figures.goals_set, figures.goals_met) == (5, 5, 2)


def test_development_plan_downloads_as_markdown_and_pdf(world: World) -> None:
    goal = _goal(world, milestones=["Outline"])
    services.checkin_record(goal=goal, actor=world.member, progress=30, note="Good start")
    client = client_for(world.member)
    markdown = client.get(reverse("development_plan", args=["md"]))
    text = markdown.content.decode()
    assert markdown["Content-Disposition"].startswith('attachment; filename="development-plan-')
    assert "## Submit a paper" in text
    assert "- [ ] Outline" in text
    assert "30% — Good start" in text
    pdf = client.get(reverse("development_plan", args=["pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert client.get(reverse("development_plan", args=["exe"])).status_code == 404


def test_development_plan_holds_only_the_members_own_goals(world: World) -> None:
    services.goal_create(
        owner=world.other_member,
        group=world.group,
        title="Their secret",
        category="career",
        visibility="group",
    )
    text = client_for(world.member).get(reverse("development_plan", args=["md"])).content
    assert b"Their secret" not in text


def test_goal_form_shares_with_the_group(world: World) -> None:
    response = client_for(world.member).post(
        reverse("goal_create"),
        {
            "title": "Teaching portfolio",
            "category": "teaching",
            "group": world.group.pk,
            "visibility": "group",
            "milestones": "Collect evaluations\nAsk for a letter",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(title="Teaching portfolio")
    assert goal.milestones.count() == 2
    page = client_for(world.senior).get(reverse("group_goals", args=[world.group.pk]))
    assert "Teaching portfolio" in page.content.decode()
