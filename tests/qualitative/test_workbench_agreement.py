"""Agreement of a round: a small example computed by hand, the character convention, and the
profile-counting module checked against ``qualitative.agreement`` itself."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.qualitative import agreement, agreement_profiles, services
from peermentor.qualitative.highlight import pieces
from peermentor.qualitative.models import Source
from peermentor.qualitative.selectors_coding import disagreements, round_agreement
from tests.conftest import World
from tests.qualitative.workbench_support import blind_round, codes, second_evaluator


def _figures(row: Any) -> dict[str, float | None]:
    return {f.key: f.value for f in row.figures}


def _round_with(world: World, texts: list[str], coding: list[tuple[int, str, int, int, int]]):
    sources = [
        Source.objects.create(program=world.program, name=f"S{i}", text=text)
        for i, text in enumerate(texts)
    ]
    by_name = {c.name: c for c in codes(world, "A", "B")}
    second = second_evaluator(world)
    coding_round = blind_round(world, second)
    coders = [
        services.coder_for(program=world.program, user=world.evaluator),
        services.coder_for(program=world.program, user=second),
    ]
    for coder, code, source, start, end in coding:
        services.segment_add(
            source=sources[source],
            code=by_name[code],
            coder=coders[coder],
            start=start,
            end=end,
            round=coding_round,
        )
    services.round_close(coding_round=coding_round, actor=None)
    return coding_round, sources


@pytest.mark.django_db
def test_answer_agreement_matches_a_hand_computed_example(world: World) -> None:
    # Code A: both coders on s0, only coder 0 on s1, only coder 1 on s2; code B: both on s3.
    coding = [
        (0, "A", 0, 0, 2), (1, "A", 0, 0, 2), (0, "A", 1, 0, 2), (1, "A", 2, 0, 2),
        (0, "B", 3, 0, 2), (1, "B", 3, 0, 2),
    ]  # fmt: skip
    coding_round, _ = _round_with(world, ["one", "two", "three", "four"], coding)
    result = round_agreement(coding_round=coding_round, unit="answer")
    a, b, pooled = (_figures(row) for row in result.rows)
    assert [row.name for row in result.rows] == ["A", "B", "All codes (pooled)"]
    assert a["percent_agreement"] == pytest.approx(0.5)
    assert a["cohen_kappa"] == pytest.approx(0.0)
    assert a["scott_pi"] == pytest.approx(0.0)
    assert a["krippendorff_alpha"] == pytest.approx(0.125)  # 1 - 7 * 4 / 32
    assert a["gwet_ac1"] == pytest.approx(0.0)
    assert b["percent_agreement"] == b["cohen_kappa"] == b["krippendorff_alpha"] == 1.0
    assert pooled["percent_agreement"] == pytest.approx(0.75)
    assert pooled["cohen_kappa"] == pytest.approx(0.21875 / 0.46875)  # p_e = 34/64
    assert pooled["krippendorff_alpha"] == pytest.approx(0.5)  # 1 - 15 * 4 / 120
    assert pooled["gwet_ac1"] == pytest.approx(0.28125 / 0.53125)  # p_e = 2 * 3/8 * 5/8
    bands = {f.key: f.band for f in result.rows[0].figures}
    assert bands["krippendorff_alpha"] == "not reliable"
    assert bands["cohen_kappa"] == "slight"
    assert result.rows[0].units == 4


@pytest.mark.django_db
def test_character_agreement_counts_each_code_point(world: World) -> None:
    # "👍🏽 très bien" is 12 code points (14 UTF-16 units); coder 0 codes 0-4, coder 1 codes 2-6.
    coding_round, sources = _round_with(
        world, ["👍🏽 très bien"], [(0, "A", 0, 0, 4), (1, "A", 0, 2, 6)]
    )
    result = round_agreement(coding_round=coding_round, unit="character")
    figures = _figures(result.rows[0])
    assert result.rows[0].units == len(sources[0].text) == 12
    expected = agreement.summary(agreement.character_units(12, {"x": [(0, 4)], "y": [(2, 6)]}))
    for key in agreement_profiles.COEFFICIENTS:
        assert figures[key] == pytest.approx(expected[key]), key
    assert figures["percent_agreement"] == pytest.approx(8 / 12)


@pytest.mark.django_db
def test_disagreements_list_differing_passages_side_by_side(world: World) -> None:
    coding = [(0, "A", 0, 0, 3), (1, "A", 0, 0, 5), (0, "B", 0, 0, 3), (1, "B", 0, 0, 3)]
    coding_round, _ = _round_with(world, ["Merci beaucoup"], coding)
    (found,) = disagreements(coding_round=coding_round)
    assert found.code.name == "A"
    assert [p.text for p in found.passages] == ["Mer", "Merci"]
    assert [[p.text for p in passages] for _, passages in found.by_coder] == [["Mer"], ["Merci"]]
    assert not any(p.in_consensus for p in found.passages)


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(agreement.AgreementError):
        round_agreement(coding_round=None, unit="word")  # type: ignore[arg-type]


# --- The profile-counting module equals agreement.summary on the expanded data ---------------

_value = st.one_of(st.none(), st.integers(0, 2))
_profiles = st.dictionaries(
    st.tuples(_value, _value, _value), st.integers(1, 4), min_size=1, max_size=8
)


@settings(max_examples=200, deadline=None)
@given(_profiles)
def test_profiles_give_what_agreement_gives_on_expanded_units(profiles: dict) -> None:
    data: dict[Any, dict[Any, Any]] = {}
    for number, (profile, times) in enumerate(profiles.items()):
        for copy in range(times):
            data[number, copy] = {c: v for c, v in enumerate(profile) if v is not None}
    try:
        expected = agreement.summary(data)
    except agreement.AgreementError:
        assert agreement_profiles.summary(profiles)["cohen_kappa"] is None
        return
    found = agreement_profiles.summary(profiles)
    for key in agreement_profiles.COEFFICIENTS:
        if expected[key] is None:
            assert found[key] is None, key
        else:
            assert found[key] == pytest.approx(expected[key], abs=1e-12), key


def test_highlight_pieces_show_overlaps() -> None:
    cut = pieces("abcdef", [(0, 4, "x"), (2, 6, "y")])
    assert [(p.text, p.keys) for p in cut] == [("ab", ("x",)), ("cd", ("x", "y")), ("ef", ("y",))]
    assert [p.text for p in pieces("ab", [])] == ["ab"]
    assert Counter(p.depth for p in cut) == Counter({1: 2, 2: 1})
