"""Access-matrix routes of the REST API.

``ROUTES`` holds the token pages (merged into the page matrix of tests/test_access_matrix.py).
``API_OPERATIONS`` holds every operation of the API, keyed by method and OpenAPI path, with the
status each persona gets calling it with a token holding every scope (anonymous: no token).
tests/api/test_api_access.py runs it; the completeness test fails when an operation is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests.access_support import (
    FORBIDDEN,
    GROUP_A_MEMBERS,
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    expect,
    survey_wave,
)
from tests.conftest import PERSONAS, World

UNAUTHORIZED = 401
PREFIX = "/api/v1"


def _token_of_member(world: World) -> dict[str, Any]:
    from peermentor.api.services import token_create

    token, _ = token_create(user=world.member, name="Script", scopes=["read:groups"], days=7)
    return {"token_id": token.pk}


ROUTES: dict[str, Route] = {
    "api_tokens": Route(lambda w: {}, expect(OK)),
    "api_token_revoke": Route(_token_of_member, expect(NOT_FOUND, member=REDIRECT), method="post"),
}


@dataclass
class Operation:
    """How to fill one API path, and the status each persona must get."""

    kwargs: Callable[[World], dict[str, Any]]
    expected: dict[str, int]

    def path(self, template: str, world: World) -> str:
        return template.format(**self.kwargs(world))


def answers(default: int, **by_persona: int) -> dict[str, int]:
    """The expected status per persona; anonymous callers (no token) always get 401."""
    expected = {persona: default for persona in PERSONAS}
    expected.update(by_persona, anonymous=UNAUTHORIZED)
    return expected


# --- Objects the operations are called on ----------------------------------------------------


def _group_a(world: World) -> dict[str, Any]:
    return {"group_id": world.group.pk}


def _program(world: World) -> dict[str, Any]:
    return {"slug": world.program.slug}


def _meeting(world: World) -> dict[str, Any]:
    from peermentor.meetings import services
    from peermentor.meetings.models import Meeting

    meeting = Meeting.objects.filter(group=world.group).first() or services.meeting_create(
        group=world.group, starts_at=timezone.now() + dt.timedelta(days=3), actor=world.member
    )
    return {"meeting_id": meeting.pk}


def _wave(world: World) -> dict[str, Any]:
    wave = survey_wave(world)
    return {"wave_id": wave.pk}


_ANYONE = answers(OK)
_STAFF = answers(NOT_FOUND, director=OK, evaluator=OK)
_GROUP = answers(NOT_FOUND, director=OK, **{p: OK for p in GROUP_A_MEMBERS})
_GROUP_CONTENT = answers(NOT_FOUND, director=FORBIDDEN, **{p: OK for p in GROUP_A_MEMBERS})
_WORKBENCH = answers(NOT_FOUND, director=FORBIDDEN, evaluator=OK)

API_OPERATIONS: dict[tuple[str, str], Operation] = {
    ("GET", f"{PREFIX}/me"): Operation(lambda w: {}, _ANYONE),
    ("GET", f"{PREFIX}/programs"): Operation(lambda w: {}, _ANYONE),
    ("GET", f"{PREFIX}/programs/{{slug}}"): Operation(_program, _STAFF),
    ("GET", f"{PREFIX}/groups"): Operation(lambda w: {}, _ANYONE),
    ("GET", f"{PREFIX}/groups/{{group_id}}"): Operation(_group_a, _GROUP),
    ("GET", f"{PREFIX}/groups/{{group_id}}/members"): Operation(_group_a, _GROUP),
    # Group-private: the director may know the group exists (403), nobody else (404).
    ("GET", f"{PREFIX}/groups/{{group_id}}/meetings"): Operation(_group_a, _GROUP_CONTENT),
    ("GET", f"{PREFIX}/meetings/{{meeting_id}}"): Operation(
        _meeting, answers(NOT_FOUND, **{p: OK for p in GROUP_A_MEMBERS})
    ),
    ("GET", f"{PREFIX}/groups/{{group_id}}/goals"): Operation(_group_a, _GROUP_CONTENT),
    ("GET", f"{PREFIX}/me/works"): Operation(lambda w: {}, _ANYONE),
    ("GET", f"{PREFIX}/groups/{{group_id}}/works"): Operation(_group_a, _GROUP_CONTENT),
    ("GET", f"{PREFIX}/programs/{{slug}}/works"): Operation(_program, _STAFF),
    ("GET", f"{PREFIX}/programs/{{slug}}/surveys"): Operation(_program, _STAFF),
    ("GET", f"{PREFIX}/surveys/waves/{{wave_id}}"): Operation(_wave, _STAFF),
    ("GET", f"{PREFIX}/programs/{{slug}}/workbench/codes"): Operation(_program, _WORKBENCH),
    ("GET", f"{PREFIX}/programs/{{slug}}/workbench/segments"): Operation(_program, _WORKBENCH),
}
