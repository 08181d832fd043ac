"""Access-matrix routes of the qualitative workbench: home, codebook, coding, rounds, memos, team.

Only the program's evaluators use them; its director learns they exist (403, as on the answers
pages of the surveys), everyone else gets a 404, and an anonymous visitor is sent to sign in.
"""

from __future__ import annotations

from typing import Any

from tests.access_support import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Route, expect, survey_wave
from tests.conftest import World

PAGE = expect(NOT_FOUND, director=FORBIDDEN, evaluator=OK)
ACTION = expect(NOT_FOUND, director=FORBIDDEN, evaluator=REDIRECT)


def _slug(world: World) -> dict[str, Any]:
    return {"slug": world.program.slug}


def _code(world: World, name: str = "Workbench code") -> Any:
    from peermentor.qualitative.models import Code

    code, _ = Code.objects.get_or_create(program=world.program, name=name)
    return code


def _source(world: World) -> Any:
    from peermentor.qualitative.models import Source

    source, _ = Source.objects.get_or_create(
        program=world.program, name="Workbench answer", defaults={"text": "Très bien 👍🏽 merci."}
    )
    return source


def _round(world: World, *, closed: bool = False) -> Any:
    from peermentor.qualitative import services
    from peermentor.qualitative.models import Coder, CodingRound

    name = "Closed round" if closed else "Open round"
    found = CodingRound.objects.filter(program=world.program, name=name).first()
    if found:
        return found
    other, _ = Coder.objects.get_or_create(
        program=world.program, kind="imported", name="Workbench coder"
    )
    me = services.coder_for(program=world.program, user=world.evaluator)
    coding_round = services.round_create(
        program=world.program, name=name, blind=True, coders=[me, other], actor=world.evaluator
    )
    services.segment_add(
        source=_source(world), code=_code(world), coder=me, start=0, end=4, round=coding_round
    )
    services.segment_add(
        source=_source(world), code=_code(world), coder=other, start=0, end=9, round=coding_round
    )
    if closed:
        services.round_close(coding_round=coding_round, actor=world.evaluator)
    return coding_round


def _segment(world: World) -> dict[str, Any]:
    from peermentor.qualitative import services

    me = services.coder_for(program=world.program, user=world.evaluator)
    segment = services.segment_add(
        source=_source(world), code=_code(world), coder=me, start=5, end=9
    )
    return {**_slug(world), "segment_id": segment.pk}


def _wave(world: World) -> dict[str, Any]:
    wave = survey_wave(world)
    return {**_slug(world), "wave_id": wave.pk}


def _code_kwargs(world: World) -> dict[str, Any]:
    return {**_slug(world), "code_id": _code(world).pk}


def _round_kwargs(world: World) -> dict[str, Any]:
    return {**_slug(world), "round_id": _round(world).pk}


def _closed_round_kwargs(world: World) -> dict[str, Any]:
    return {**_slug(world), "round_id": _round(world, closed=True).pk}


def _version(world: World) -> dict[str, Any]:
    from peermentor.qualitative import services
    from peermentor.qualitative.models import CodebookVersion

    version = CodebookVersion.objects.filter(program=world.program).first()
    if version is None:
        version = services.codebook_freeze(program=world.program, actor=world.evaluator, note="")
    return {**_slug(world), "number": version.number}


def _source_kwargs(world: World) -> dict[str, Any]:
    return {**_slug(world), "source_id": _source(world).pk}


def _consensus_data(world: World) -> dict[str, Any]:
    return {
        "source": _source(world).pk,
        "code": _code(world).pk,
        "start": 0,
        "end": 9,
        "keep": "yes",
    }


ROUTES: dict[str, Route] = {
    "workbench_home": Route(_slug, PAGE),
    "workbench_bring_in": Route(_wave, ACTION, method="post"),
    "workbench_code_styles": Route(_slug, PAGE),
    "workbench_team": Route(_slug, PAGE),
    "workbench_codebook": Route(_slug, PAGE),
    "workbench_starter_load": Route(_slug, ACTION, method="post"),
    "workbench_codebook_freeze": Route(
        _slug, ACTION, method="post", data=lambda w: {"note": "Before round one"}
    ),
    "workbench_codebook_version": Route(_version, PAGE),
    "workbench_code_edit": Route(_code_kwargs, PAGE),
    "workbench_code_move": Route(
        _code_kwargs, ACTION, method="post", data=lambda w: {"direction": "up"}
    ),
    "workbench_code_merge": Route(
        _code_kwargs, ACTION, method="post", data=lambda w: {"into": _code(w, "Merged into").pk}
    ),
    "workbench_code_split": Route(_code_kwargs, PAGE),
    "workbench_code_delete": Route(_code_kwargs, ACTION, method="post"),
    "workbench_coding": Route(_slug, PAGE),
    "workbench_segment_add": Route(
        _source_kwargs,
        ACTION,
        method="post",
        data=lambda w: {"first": 1, "last": 4, "codes": [_code(w).pk]},
    ),
    "workbench_segment_remove": Route(_segment, ACTION, method="post"),
    "workbench_memos": Route(_slug, PAGE),
    "workbench_rounds": Route(_slug, PAGE),
    "workbench_round": Route(_round_kwargs, PAGE),
    "workbench_round_close": Route(_round_kwargs, ACTION, method="post"),
    "workbench_round_compare": Route(_closed_round_kwargs, PAGE),
    "workbench_consensus": Route(_closed_round_kwargs, ACTION, method="post", data=_consensus_data),
    "workbench_consensus_agreed": Route(_closed_round_kwargs, ACTION, method="post"),
    "workbench_round_agreement": Route(_closed_round_kwargs, PAGE),
}

# A persona that is not an evaluator never reaches a page; checked once more here for clarity.
assert all(route.expected["evaluator"] in (OK, REDIRECT) for route in ROUTES.values())
