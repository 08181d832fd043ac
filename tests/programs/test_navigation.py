"""The main navigation shows each person the kinds of place they can go, read in one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peermentor.programs import services
from peermentor.programs.models import ProgramRole
from peermentor.programs.selectors import navigation_roles
from tests.conftest import make_user


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("member", {"is_member": True, "is_director": False, "is_evaluator": False}),
        ("director", {"is_member": False, "is_director": True, "is_evaluator": False}),
        ("evaluator", {"is_member": False, "is_director": False, "is_evaluator": True}),
        ("outsider", {"is_member": True, "is_director": False, "is_evaluator": False}),
    ],
)
def test_each_persona_sees_their_places(
    world: Any, persona: str, expected: dict[str, bool]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        roles = navigation_roles(user=world.persona(persona))
    assert {key: roles[key] for key in expected} == expected
    assert len(queries) == 1


def test_someone_in_no_group_and_no_program_sees_neither(world: Any) -> None:
    newcomer = make_user("newcomer@test.example", "Nell Newcomer")
    roles = navigation_roles(user=newcomer)
    assert not roles["is_member"]
    assert not roles["is_director"]
    assert not roles["is_evaluator"]


def test_a_member_who_also_directs_sees_both(world: Any) -> None:
    services.program_role_grant(
        program=world.program,
        user=world.member,
        role=ProgramRole.Role.DIRECTOR,
        actor=world.director,
    )
    roles = navigation_roles(user=world.member)
    assert roles["is_member"]
    assert roles["is_director"]
    assert not roles["is_evaluator"]


def test_a_former_member_is_no_longer_shown_member_places(world: Any) -> None:
    services.membership_end(
        membership=world.membership_of(world.member),
        left_on=dt.date(2022, 6, 30),
        reason="other",
        actor=world.director,
    )
    assert navigation_roles(user=world.member)["is_member"] is False
