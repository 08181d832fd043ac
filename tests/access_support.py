"""What every access-matrix table shares: the route description and the expected answers.

Each area of PeerMentor keeps its routes in a table of its own (`tests/access_routes_*.py`);
`tests/test_access_matrix.py` joins them and fails when a URL of the project is in none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tests.conftest import PERSONAS, World

OK, REDIRECT, FORBIDDEN, NOT_FOUND, LOGIN = 200, 302, 403, 404, "login"
GROUP_A_MEMBERS = ("member", "other_member", "senior")


@dataclass
class Route:
    """How to call one URL, and what each persona must get back."""

    kwargs: Callable[[World], dict[str, Any]]
    expected: dict[str, int | str]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = field(default=lambda world: {})


def expect(default: int | str, **by_persona: int | str) -> dict[str, int | str]:
    expected: dict[str, int | str] = {persona: default for persona in PERSONAS}
    expected["anonymous"] = LOGIN
    expected.update(by_persona)
    return expected


def survey_wave(world: World) -> Any:
    """The program's survey wave: an anonymous wave of the default instrument, open to group A."""
    from peermentor.surveys import services as surveys
    from peermentor.surveys.models import Wave

    existing = Wave.objects.filter(program=world.program).first()
    if existing:
        return existing
    today = timezone.localdate()
    return surveys.wave_open(
        program=world.program,
        instrument=surveys.instrument_create_default(program=world.program, actor=world.director),
        actor=world.director,
        title="Close-out",
        kind="close_out",
        mode="anonymous",
        opens_on=today,
        closes_on=today + dt.timedelta(days=14),
        groups=[world.group],
    )
