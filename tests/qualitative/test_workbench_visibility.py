"""Blind rounds: a coder sees only their own coding until the round closes — in the selectors
and on the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from peermentor.qualitative import services
from peermentor.qualitative.selectors_coding import coded_sources, visible_segments
from tests.conftest import World, client_for
from tests.qualitative.workbench_support import blind_round, brought_in, codes, second_evaluator

pytestmark = pytest.mark.django_db


def _coded_round(world: World, *, blind: bool = True) -> tuple[Any, Any, Any, Any, Any]:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    second = second_evaluator(world)
    coding_round = blind_round(world, second)
    if not blind:
        coding_round.blind = False
        coding_round.save()
    me = services.coder_for(program=world.program, user=world.evaluator)
    other = services.coder_for(program=world.program, user=second)
    services.segment_add(source=source, code=code, coder=me, start=0, end=4, round=coding_round)
    services.segment_add(source=source, code=code, coder=other, start=2, end=9, round=coding_round)
    return source, coding_round, me, other, second


def _coders(segments: Any) -> set[str]:
    return {segment.coder.name for segment in segments}


def test_open_blind_round_shows_each_coder_only_their_own_coding(world: World) -> None:
    source, coding_round, me, other, _ = _coded_round(world)
    for coding in (coding_round, None):
        mine = visible_segments(program=world.program, coder=me, coding_round=coding)
        theirs = visible_segments(program=world.program, coder=other, coding_round=coding)
        assert _coders(mine) == {"Eve Evaluator"}
        assert _coders(theirs) == {"Evan Second"}
    (item,) = coded_sources(sources=[source], coder=me, coding_round=coding_round)
    assert _coders(item.segments) == {"Eve Evaluator"}
    assert all(s.coder == me for piece in item.pieces for s in piece.segments)


def test_closed_blind_round_shows_everyone_all_coding(world: World) -> None:
    _, coding_round, me, other, _ = _coded_round(world)
    services.round_close(coding_round=coding_round, actor=None)
    for coder in (me, other):
        seen = visible_segments(program=world.program, coder=coder, coding_round=coding_round)
        assert _coders(seen) == {"Eve Evaluator", "Evan Second"}


def test_round_that_is_not_blind_shows_all_while_open(world: World) -> None:
    _, coding_round, me, _, _ = _coded_round(world, blind=False)
    seen = visible_segments(program=world.program, coder=me, coding_round=coding_round)
    assert _coders(seen) == {"Eve Evaluator", "Evan Second"}


def test_coding_page_never_shows_the_other_coders_passages_of_an_open_blind_round(
    world: World,
) -> None:
    _, coding_round, _, _, second = _coded_round(world)
    url = reverse("workbench_coding", args=[world.program.slug])
    for query in (f"?round={coding_round.pk}", ""):
        mine = client_for(world.evaluator).get(url + query).content.decode()
        theirs = client_for(second).get(url + query).content.decode()
        assert "Eve Evaluator" in mine
        assert "Evan Second" not in mine.replace("you code as Evan Second", "")
        assert "characters 3–9" not in mine
        assert "Evan Second" in theirs
        assert "characters 1–4" not in theirs
    compare = reverse("workbench_round_compare", args=[world.program.slug, coding_round.pk])
    response = client_for(world.evaluator).get(compare).content.decode()
    assert "characters 3–9" not in response
    services.round_close(coding_round=coding_round, actor=None)
    after = client_for(world.evaluator).get(url + f"?round={coding_round.pk}").content.decode()
    assert "characters 3–9" in after
    assert "characters 1–4" in after
