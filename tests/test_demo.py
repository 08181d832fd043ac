"""The demo program: the people, groups and roles the README promises."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from peermentor.demo.loader import DEMO_PASSWORD
from peermentor.programs.models import Charter, Membership, Program, ProgramRole


@pytest.fixture
def demo(db: Any) -> Program:
    call_command("demo", "--if-empty")
    return Program.objects.get(slug="demo")


def test_demo_has_the_published_group_and_two_later_ones(demo: Program) -> None:
    groups = list(demo.groups.order_by("formed_on"))
    assert len(groups) == 3
    first = groups[0]
    assert first.formed_on.year == 2006
    roles = sorted(first.memberships.values_list("role", flat=True))
    assert roles.count("member") == 6
    assert roles.count("senior_mentor") == 1
    assert Charter.objects.filter(group=first, status="adopted").exists()


@pytest.mark.parametrize(
    ("email", "where"),
    [
        ("member1@example.org", "2006"),
        ("member7@example.org", "2006"),
        ("member8@example.org", "2011"),
    ],
)
def test_demo_logins_work_and_sit_in_the_right_group(demo: Program, email: str, where: str) -> None:
    user = authenticate(username=email, password=DEMO_PASSWORD)
    assert user is not None
    membership = Membership.objects.get(user=user)
    assert where in membership.group.name
    if email == "member7@example.org":
        assert membership.role == "senior_mentor"


def test_demo_staff_roles(demo: Program) -> None:
    assert ProgramRole.objects.get(user__email="director@example.org").role == "director"
    assert ProgramRole.objects.get(user__email="evaluator@example.org").role == "evaluator"


def test_demo_people_are_marked_fictional(demo: Program) -> None:
    assert demo.is_demo
    assert not Membership.objects.filter(group__program=demo, user__is_demo=False).exists()


def test_demo_is_not_loaded_twice(demo: Program) -> None:
    call_command("demo", "--if-empty")
    assert Program.objects.count() == 1


def test_demo_first_group_has_thirty_meetings_from_2006_to_2010(demo: Program) -> None:
    from peermentor.meetings.models import Meeting

    first = demo.groups.order_by("formed_on").first()
    held = Meeting.objects.filter(group=first, status="held")
    assert held.count() == 30
    years = sorted({m.starts_at.year for m in held})
    assert (years[0], years[-1]) == (2006, 2010)
    assert all(m.attendance.count() == 7 for m in held[:3])


def test_demo_members_have_goals_with_check_ins_and_a_year_plan(demo: Program) -> None:
    from peermentor.goals.models import Goal, GoalCheckIn, TopicPlan

    assert Goal.objects.filter(group__program=demo).count() == 12
    assert GoalCheckIn.objects.filter(goal__group__program=demo).count() == 96
    assert demo.topics.count() == 8
    assert TopicPlan.objects.filter(group__program=demo).exists()


def test_demo_works_show_productivity_and_collaboration_rising(demo: Program) -> None:
    from peermentor.scholarship.selectors import group_scholarship

    first = demo.groups.order_by("formed_on").first()
    data = group_scholarship(group=first)
    assert data.pooled.ratio is not None
    assert data.pooled.ratio > 1.5
    assert data.network_summary["ties_during"] > data.network_summary["ties_before"]


def test_demo_has_a_close_out_wave_with_answers(demo: Program) -> None:
    from peermentor.surveys.models import Response, Wave

    close_out = Wave.objects.get(program=demo, kind="close_out")
    assert close_out.closes_on.year == 2010
    assert Response.objects.filter(wave=close_out).count() == 7
