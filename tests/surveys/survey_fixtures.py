"""Helpers shared by the survey tests: open a wave, answer it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from peermentor.surveys import services
from peermentor.surveys.models import Instrument, Wave, WaveInvitee
from tests.conftest import World

TODAY = dt.date(2030, 3, 4)


def open_wave(
    world: World,
    *,
    mode: str = "anonymous",
    groups: list[Any] | None = None,
    instrument: Instrument | None = None,
    today: dt.date | None = None,
) -> Wave:
    """An open wave of the default instrument for group A (or the given groups)."""
    today = today or timezone.localdate()
    return services.wave_open(
        program=world.program,
        instrument=instrument
        or services.instrument_create_default(program=world.program, actor=world.director),
        actor=world.director,
        title="Close-out 2030",
        kind="close_out",
        mode=mode,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
        groups=groups or [world.group],
        consent_text="I agree that my answers are kept with my name."
        if mode != "anonymous"
        else "",
    )


def invitee(wave: Wave, user: Any) -> WaveInvitee:
    """The invitation of one person to a wave."""
    return WaveInvitee.objects.select_related("wave__instrument").get(wave=wave, user=user)


def answer(wave: Wave, user: Any, text: str = "The group kept me writing.", **extra: Any) -> Any:
    """Submit a response for ``user`` with one open answer and a satisfaction rating."""
    answers = {"benefits_gains": text, "ratings_satisfaction": "4", **extra}
    return services.response_submit(invitee=invitee(wave, user), answers=answers, consent=True)
