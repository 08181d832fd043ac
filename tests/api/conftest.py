"""Fixtures of the API tests: a token for each persona, and objects of every kind to read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PERSONAS, World

ALL_SCOPES = [
    "read:programs",
    "read:groups",
    "read:meetings",
    "read:goals",
    "read:works",
    "read:surveys",
    "read:workbench",
]


def make_token(user: Any, scopes: list[str] | None = None, days: int = 30) -> str:
    """A live token of ``user`` holding ``scopes`` (all of them by default); its secret."""
    from peermentor.api.services import token_create

    _, secret = token_create(user=user, name="Test", scopes=scopes or ALL_SCOPES, days=days)
    return secret


def call(path: str, secret: str | None, **query: Any) -> Any:
    """GET an API path with the token (none for None) and return the response."""
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Client().get(path, query, headers=headers)


@pytest.fixture
def tokens(world: World) -> dict[str, str | None]:
    """A token with every scope for each persona; anonymous has none."""
    return {
        persona: None if persona == "anonymous" else make_token(world.persona(persona))
        for persona in PERSONAS
    }


@pytest.fixture
def content(world: World) -> dict[str, Any]:
    """A meeting with an agenda and attendance, a shared and a private goal, a shared work, a
    survey wave, and a coded answer in the workbench — all in group A / program A."""
    from peermentor.goals import services as goals
    from peermentor.meetings import services as meetings
    from peermentor.qualitative.models import Code, Coder, Segment, Source
    from peermentor.scholarship.models import Authorship, Work
    from tests.access_routes_api import _wave

    meeting = meetings.meeting_create(
        group=world.group, starts_at=timezone.now() + dt.timedelta(days=3), actor=world.member
    )
    item = meetings.agenda_item_add(
        group=world.group,
        meeting=meeting,
        proposer=world.member,
        title="Promotion dossier",
        kind="professional",
        minutes=20,
    )
    meeting.notes = "Private notes of group A"
    meeting.save(update_fields=["notes"])
    shared = goals.goal_create(
        owner=world.member,
        group=world.group,
        title="Write the paper",
        category="scholarship",
        visibility="group",
    )
    private = goals.goal_create(
        owner=world.other_member,
        group=world.group,
        title="Secret goal",
        category="career",
        visibility="private",
    )
    work = Work.objects.create(type="journal_article", title="Our shared paper", year=2021)
    for position, person in enumerate([world.member, world.other_member], start=1):
        Authorship.objects.create(
            work=work, position=position, name=person.name, member=person, claim="confirmed"
        )
    wave_id = _wave(world)["wave_id"]
    code = Code.objects.create(program=world.program, name="Accountability")
    source = Source.objects.create(
        program=world.program, name="R01", respondent="R01", text="The group kept me on track."
    )
    coder = Coder.objects.create(
        program=world.program, kind="person", user=world.evaluator, name="Eve Evaluator"
    )
    segment = Segment.objects.create(source=source, code=code, coder=coder, start=4, end=9)
    return {
        "meeting": meeting,
        "item": item,
        "shared_goal": shared,
        "private_goal": private,
        "work": work,
        "wave_id": wave_id,
        "code": code,
        "segment": segment,
    }
