"""Helpers for the workbench tests: answers brought in, a second evaluator, a closed round."""

from __future__ import annotations

from typing import Any

from peermentor.programs import services as programs
from peermentor.programs.models import ProgramRole
from peermentor.qualitative import services
from peermentor.qualitative.models import Code, CodingRound, Source
from peermentor.surveys.models import Wave
from tests.conftest import World, make_user
from tests.surveys.survey_fixtures import answer, open_wave

TEXTS = {
    "member": "Très bien 👍🏽 — merci. The group kept me writing every week.",
    "other_member": "Scheduling was hard, but Member helped me finish my first paper.",
    "senior": "We talked about personal matters too much; still, I felt less alone.",
}


def answered_wave(world: World) -> Wave:
    """An open wave of group A answered by its three members (texts above)."""
    wave = open_wave(world)
    for persona, text in TEXTS.items():
        answer(wave, getattr(world, persona), text)
    return wave


def brought_in(world: World) -> list[Source]:
    """The answers of an answered wave, brought into the workbench."""
    wave = answered_wave(world)
    services.sources_bring_in(program=world.program, wave=wave, actor=world.evaluator)
    return list(Source.objects.filter(program=world.program).order_by("respondent"))


def second_evaluator(world: World) -> Any:
    """Another evaluator of world.program."""
    person = make_user("evaluator-two@test.example", "Evan Second")
    programs.program_role_grant(
        program=world.program, user=person, role=ProgramRole.Role.EVALUATOR, actor=world.director
    )
    return person


def codes(world: World, *names: str) -> list[Code]:
    """Codes of world.program, created under these names."""
    return [
        services.code_create(program=world.program, actor=world.evaluator, name=name)
        for name in names
    ]


def blind_round(world: World, second: Any) -> CodingRound:
    """An open blind round of the evaluator and a second evaluator."""
    return services.round_create(
        program=world.program,
        name="Round one",
        blind=True,
        coders=[
            services.coder_for(program=world.program, user=world.evaluator),
            services.coder_for(program=world.program, user=second),
        ],
        actor=world.evaluator,
    )
