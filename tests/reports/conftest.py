"""Fixtures of the reports tests: meetings, attendance and works for the world's group."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import World


def add_history(world: World, *, meetings: int, start_year: int = 2020) -> None:
    """Held meetings with attendance and agenda items, and a few shared works."""
    from peermentor.meetings.models import AgendaItem, Attendance, Meeting
    from peermentor.scholarship.models import Authorship, Work

    people = [world.member, world.other_member, world.senior]
    for index in range(meetings):
        start = dt.datetime(start_year, 1, 10, 17, tzinfo=dt.UTC) + dt.timedelta(weeks=6 * index)
        meeting = Meeting.objects.create(
            group=world.group, starts_at=start, time_zone="UTC", status=Meeting.Status.HELD
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, user=user, status="present" if i else "absent")
            for i, user in enumerate(people)
        )
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    group=world.group,
                    meeting=meeting,
                    title="Writing",
                    kind="professional",
                    minutes=30,
                    actual_minutes=35,
                ),
                AgendaItem(
                    group=world.group,
                    meeting=meeting,
                    title="Check-in",
                    kind="personal",
                    minutes=10,
                    actual_minutes=15,
                ),
            ]
        )
    for year in range(2017, 2024):
        work = Work.objects.create(
            type="journal_article", title=f"Paper {year} {meetings}", year=year
        )
        Authorship.objects.bulk_create(
            Authorship(
                work=work, member=user, position=i, name=user.name, claim=Authorship.Claim.CONFIRMED
            )
            for i, user in enumerate(people[: 1 + (year >= 2020) * 2])
        )


def add_groups(world: World, count: int, size: int) -> None:
    """``count`` more groups of ``size`` members each (the first of each left early)."""
    from peermentor.programs.models import Group, Membership
    from tests.conftest import make_user

    for g in range(count):
        group = Group.objects.create(
            program=world.program, name=f"Extra {g}", formed_on=dt.date(2019, 1, 1)
        )
        users = [make_user(f"x{g}-{i}@test.example", f"Extra {g} {i}") for i in range(size)]
        Membership.objects.bulk_create(
            Membership(
                group=group,
                user=u,
                joined_on=dt.date(2019, 1, 1),
                left_on=dt.date(2021, 5, 1) if i == 0 else None,
                leave_reason="workload" if i == 0 else "",
            )
            for i, u in enumerate(users)
        )


@pytest.fixture
def history(world: World) -> World:
    add_history(world, meetings=4)
    return world


@pytest.fixture
def figures_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()
