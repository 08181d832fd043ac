"""The wave and answers pages make the same number of queries for 2 or 8 responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peermentor.programs import services as programs
from peermentor.surveys import services
from tests.conftest import World, client_for, make_user
from tests.surveys.survey_fixtures import open_wave


def grow_group(world: World, size: int) -> Any:
    """A new group of the program with ``size`` members."""
    group = programs.group_create(
        program=world.program, name=f"Big {size}", time_zone="UTC",
        formed_on=dt.date(2020, 1, 6), actor=world.director,
    )  # fmt: skip
    for number in range(size):
        user = make_user(f"big{size}-{number}@test.example", f"Big Person{number}")
        programs.membership_add(
            group=group, user=user, role="member", joined_on=dt.date(2020, 1, 6),
            actor=world.director,
        )  # fmt: skip
    return group


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_make_as_many_queries_for_two_responses_as_for_eight(world: World) -> None:
    wave = open_wave(world, groups=[grow_group(world, 8)])
    invitees = list(wave.invitees.all())
    pages = [
        (client_for(world.evaluator), reverse("wave_answers", args=[wave.pk])),
        (client_for(world.evaluator), reverse("wave_answers_export", args=[wave.pk, "csv"])),
        (client_for(world.director), reverse("wave_detail", args=[wave.pk])),
        (client_for(world.director), reverse("program_surveys", args=[world.program.slug])),
    ]
    counts = []
    for batch in (invitees[:2], invitees[2:]):
        for record in batch:
            services.response_submit(
                invitee=record,
                answers={"benefits_gains": "Helpful", "ratings_attendance_barriers": ["family"]},
            )
        counts.append([_count(client, url) for client, url in pages])
    assert counts[0] == counts[1], counts
