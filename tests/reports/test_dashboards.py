"""The member's home, the group dashboard and the program director's dashboard."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, client_for
from tests.reports.conftest import add_groups as _more_groups
from tests.reports.conftest import add_history


def _dashboard(world: World) -> Any:
    return client_for(world.director).get(reverse("program_figures", args=[world.program.slug]))


def test_director_sees_aggregates_and_small_groups_are_suppressed(
    history: World, figures_cache: Any
) -> None:
    _more_groups(history, 1, 6)
    response = _dashboard(history)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Group A" in text
    assert "Extra 0" in text
    # Group A has three members: its attendance and ties are not shown.
    assert "not shown" in text
    assert "Kaplan–Meier" in text
    assert 'alt="Survival curve' in text
    # Nobody is named on the director's dashboard.
    for person in (history.member, history.other_member, history.senior):
        assert person.name not in text


def test_a_program_of_fewer_than_five_people_shows_no_figures_yet(
    history: World, figures_cache: Any
) -> None:
    text = _dashboard(history).content.decode()
    assert "fewer than 5 members so far" in text
    assert "Kaplan–Meier" not in text
    assert "Rate ratio" not in text


def test_director_dashboard_counts_meetings_attendance_and_retention(
    history: World, figures_cache: Any
) -> None:
    from peermentor.reports.selectors import director_dashboard

    _more_groups(history, 1, 6)
    figures = director_dashboard(program=history.program, today=dt.date(2024, 1, 1))
    assert sum(n for _, n in figures.held_by_year) == 4
    assert figures.attendance.recorded == 12
    assert figures.attendance.present == 8
    extra = next(g for g in figures.groups if g.name == "Extra 0")
    assert extra.current == 5
    assert extra.attendance is None
    assert figures.retention.members == 10
    assert figures.retention.dropped == 1
    assert figures.retention.steps[-1].left == 1


@pytest.mark.parametrize("scale", [1, 4])
def test_director_dashboard_queries_do_not_grow_with_the_data(
    world: World, figures_cache: Any, django_assert_max_num_queries: Any, scale: int
) -> None:
    add_history(world, meetings=3 * scale)
    _more_groups(world, 2 * scale, 5)
    client = client_for(world.director)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("program_figures", args=[world.program.slug])).status_code == 200


def test_director_dashboard_is_cached_between_visits(
    history: World, figures_cache: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(history.director)
    url = reverse("program_figures", args=[history.program.slug])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("scale", [1, 5])
def test_group_dashboard_queries_do_not_grow_with_the_data(
    world: World, django_assert_max_num_queries: Any, scale: int
) -> None:
    add_history(world, meetings=3 * scale)
    client = client_for(world.member)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("group_dashboard", args=[world.group.pk]))
    assert response.status_code == 200


def test_group_dashboard_shows_attendance_per_member_and_focus(history: World) -> None:
    response = client_for(history.member).get(reverse("group_dashboard", args=[history.group.pk]))
    text = response.content.decode()
    assert history.other_member.name in text
    assert "Personal check-in" in text
    assert "Professional topic" in text
    assert "<td>40</td><td>60</td>" in text  # personal: 4 × 10 planned, 4 × 15 actual
    assert reverse("group_works", args=[history.group.pk]) in text


def test_home_shows_the_next_meeting_agenda_and_recent_activity(world: World) -> None:
    from peermentor.goals.models import Resource
    from peermentor.meetings.models import AgendaItem, Meeting

    soon = timezone.now() + dt.timedelta(days=3)
    meeting = Meeting.objects.create(group=world.group, starts_at=soon, time_zone="UTC")
    AgendaItem.objects.create(
        group=world.group, meeting=meeting, title="Promotion dossiers", minutes=20
    )
    Meeting.objects.create(
        group=world.group,
        starts_at=timezone.now() - dt.timedelta(days=5),
        time_zone="UTC",
        status=Meeting.Status.HELD,
    )
    Resource.objects.create(
        group=world.group,
        kind="link",
        title="Teaching award call",
        url="https://example.org",
        deadline=timezone.localdate() + dt.timedelta(days=10),
        posted_by=world.other_member,
    )
    text = client_for(world.member).get(reverse("home")).content.decode()
    assert "Promotion dossiers" in text
    assert "Meeting held" in text
    assert "Resource posted" in text
    assert "Teaching award call" in text
    # Someone outside the group sees none of it.
    other = client_for(world.outsider).get(reverse("home")).content.decode()
    assert "Promotion dossiers" not in other
    assert "Teaching award call" not in other


@pytest.mark.parametrize("meetings", [1, 12])
def test_home_queries_do_not_grow_with_the_data(
    world: World, django_assert_max_num_queries: Any, meetings: int
) -> None:
    add_history(world, meetings=meetings)
    with django_assert_max_num_queries(33):
        assert client_for(world.member).get(reverse("home")).status_code == 200


def test_the_dashboard_charts_are_images_of_their_own_that_change_with_the_figures(
    history: World, figures_cache: Any
) -> None:
    _more_groups(history, 1, 5)
    client = client_for(history.director)
    page = client.get(reverse("program_figures", args=[history.program.slug])).content.decode()
    sources = re.findall(r'<img class="chart" src="([^"]+)"', page)
    assert sources
    assert "data:" not in "".join(sources)
    for source in sources:
        chart = client.get(source)
        assert chart.status_code == 200
        assert chart.content.startswith(b"<?xml")
        assert b"<svg" in chart.content
        assert client_for(history.member).get(source).status_code == 404
    figures_cache.clear()  # the figures are recomputed after more meetings: new addresses
    add_history(history, meetings=2, start_year=2023)
    again = client.get(reverse("program_figures", args=[history.program.slug])).content.decode()
    assert set(re.findall(r'<img class="chart" src="([^"]+)"', again)) != set(sources)


def _program_of_three_groups(world: World) -> Any:
    """Groups of 3, 5 and 7 current members, with 2, 5 and 6 of them setting a goal."""
    from peermentor.goals import services as goals
    from peermentor.programs import services as programs
    from tests.conftest import make_user

    program = programs.program_create(name="Three groups", slug="three", creator=world.director)
    for name, size, with_goals in (("Small", 3, 2), ("Mid", 5, 5), ("Big", 7, 6)):
        group = programs.group_create(
            program=program, name=name, time_zone="UTC", formed_on=dt.date(2020, 1, 6),
            actor=world.director,
        )  # fmt: skip
        for index in range(size):
            person = make_user(f"{name.lower()}{index}@test.example", f"{name} Person {index}")
            programs.membership_add(
                group=group, user=person, role="member", joined_on=dt.date(2020, 1, 6),
                actor=world.director,
            )  # fmt: skip
            if index < with_goals:
                goals.goal_create(owner=person, group=group, title="A goal", category="teaching")
    return program


def test_a_lone_hidden_group_takes_the_next_smallest_with_it(world: World) -> None:
    """The program's totals are on the page: with one group hidden, the total less the shown
    groups would give its figures away, so the next smallest group is hidden too."""
    from peermentor.reports.selectors import director_dashboard

    program = _program_of_three_groups(world)
    figures = director_dashboard(program=program, today=dt.date(2024, 1, 1))
    rows = {row.name: row for row in figures.groups}
    assert rows["Small"].ties_before is None
    assert rows["Mid"].ties_before is None
    assert rows["Big"].ties_before == 0
    assert rows["Small"].goals is None
    assert rows["Mid"].goals is None
    assert rows["Big"].goals == 6
    assert figures.goals_set == 13  # the total is shown: it gives away only Small + Mid
    assert {row.name: row.current for row in figures.groups} == {"Small": 3, "Mid": 5, "Big": 7}


def test_program_productivity_hides_a_second_group_with_a_lone_small_one(world: World) -> None:
    from peermentor.scholarship.selectors import program_scholarship

    program = _program_of_three_groups(world)
    rows = {r.label: r for r in program_scholarship(program=program)["rows"]}
    assert (rows["Small"].hidden, rows["Mid"].hidden, rows["Big"].hidden) == (
        "small",
        "complementary",
        None,
    )
    assert rows["Mid"].comparison is None
    assert rows["Big"].comparison is not None
    page = client_for(world.director).get(reverse("program_productivity", args=["three"]))
    assert (
        "Not shown, so that a smaller hidden figure cannot be worked out" in page.content.decode()
    )


def test_the_dashboard_draws_collaboration_by_group_for_groups_it_may_show(
    world: World, figures_cache: Any
) -> None:
    from peermentor.accounts.models import User
    from peermentor.scholarship.models import Authorship, Work

    _program_of_three_groups(world)
    for title, emails in (("Big paper", ("big0", "big1")), ("Small paper", ("small0", "small1"))):
        work = Work.objects.create(type="journal_article", title=title, year=2022)
        for position, prefix in enumerate(emails):
            author = User.objects.get(email=f"{prefix}@test.example")
            Authorship.objects.create(
                work=work, member=author, position=position, name=author.name,
                claim=Authorship.Claim.CONFIRMED,
            )  # fmt: skip
    client = client_for(world.director)
    page = client.get(reverse("program_figures", args=["three"])).content.decode()
    assert "Collaboration by group" in page
    chart_url = re.search(r'src="([^"]*/charts/collaboration-[^"]+)"', page)
    assert chart_url is not None
    chart = client.get(chart_url.group(1)).content.decode()
    assert "Big" in chart
    assert "Small" not in chart  # its figures are hidden: no bar either


def test_a_long_groups_table_has_a_page_of_its_own(world: World, figures_cache: Any) -> None:
    from peermentor.reports.views import ROWS_SHOWN_OPEN

    add_history(world, meetings=3)
    _more_groups(world, 1, 6)
    short = _dashboard(world).content.decode()
    assert "Extra 0" in short
    assert "groups with their figures" not in short
    from peermentor.programs.models import Group

    for number in range(ROWS_SHOWN_OPEN):
        Group.objects.create(
            program=world.program, name=f"Quiet {number}", formed_on=dt.date(2021, 1, 1)
        )
    figures_cache.clear()
    page = _dashboard(world).content.decode()
    total = ROWS_SHOWN_OPEN + 3  # the world's two groups, Extra 0 and the quiet ones
    assert f"All {total} groups with their figures" in page
    assert '<th scope="row">Extra 0</th>' not in page
    groups_url = reverse("program_figures_groups", args=[world.program.slug])
    assert groups_url in page
    groups = client_for(world.director).get(groups_url).content.decode()
    assert groups.count("<tr>") == total + 1  # and the heading row
    assert "A figure describing fewer than 5 people is not shown" in groups
