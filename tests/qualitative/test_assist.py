"""Assisted coding: the suggester, keyword rules, held-out agreement, and the synthetic answers."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.qualitative.assist import (
    CodedAnswer,
    KeywordRule,
    Suggester,
    apply_rules,
    evaluate_heldout,
    fold,
    train,
)
from peermentor.qualitative.synthetic_answers import (
    QUESTIONS,
    SyntheticAnswer,
    code_keys,
    generate,
)

LETTERS = "abcdefghijklmnopqrstuvwxyzéèüñçø"


@pytest.fixture(scope="module")
def coded() -> list[SyntheticAnswer]:
    return generate(600, seed=11)


@pytest.fixture(scope="module")
def suggester(coded: list[SyntheticAnswer]) -> Suggester:
    return train(coded, seed=0)


def thin_data() -> list[CodedAnswer]:
    """Forty answers about scheduling or friendship, three coded "mentor-wish", one uncoded."""
    texts = [
        ("Finding a time that suits everyone is hard.", {"scheduling"}),
        ("We cancel meetings because of clinic.", {"scheduling"}),
        ("I made good friends in the group.", {"social"}),
        ("The others became close friends.", {"social"}),
    ] * 10
    texts[:3] = [(t, {*codes, "mentor-wish"}) for t, codes in texts[:3]]
    return [CodedAnswer(t, frozenset(c)) for t, c in texts] + [CodedAnswer("N/A", frozenset())]


# --- The suggester ------------------------------------------------------------------------


def test_suggester_agrees_with_held_out_human_coding(coded: list[SyntheticAnswer]) -> None:
    report = evaluate_heldout(coded, test_fraction=0.25, seed=3)
    assert report["mean_kappa"] > 0.8
    assert report["micro"]["f1"] > 0.85
    assert report["n_test"] == 150
    assert report["n_train"] == 450


def test_suggester_finds_the_obvious_code(suggester: Suggester) -> None:
    [suggestions] = suggester.suggest(["Finding a time when everyone was free was a struggle."])
    assert suggestions[0].code_id == "scheduling"
    assert suggestions[0].basis.startswith("model (")


def test_basis_names_the_number_of_examples_and_the_words_behind_it(suggester: Suggester) -> None:
    [[first, *_]] = suggester.suggest(["Coordinating calendars took weeks of emails."])
    count = suggester.examples_per_code["scheduling"]
    assert first.basis.startswith(f"model ({count} coded examples): ")
    assert "calendars" in first.basis


def test_codes_with_too_few_examples_are_reported_and_never_suggested() -> None:
    data = thin_data()
    suggester = train(data)
    assert suggester.examples_per_code == {"mentor-wish": 3, "scheduling": 20, "social": 20}
    assert "mentor-wish" in suggester.not_suggested
    assert "only 3 coded answers" in suggester.not_suggested["mentor-wish"]
    assert suggester.codes == ("scheduling", "social")
    everything = suggester.suggest([d.text for d in data], threshold=0.0, top_k=None)
    assert all(s.code_id != "mentor-wish" for row in everything for s in row)


def test_min_examples_decides_which_codes_are_learned() -> None:
    suggester = train(thin_data(), min_examples=3)
    assert "mentor-wish" in suggester.codes
    assert not suggester.not_suggested
    with pytest.raises(ValueError, match="min_examples"):
        train(thin_data(), min_examples=0)


def test_a_code_on_every_answer_is_not_suggested() -> None:
    data = [(f"answer number {n} about meetings", {"everything"}) for n in range(8)]
    suggester = train(data)
    assert suggester.codes == ()
    assert "every answer" in suggester.not_suggested["everything"]
    assert suggester.suggest(["meetings"]) == [[]]


def test_suggestions_only_name_codes_learned_in_training(
    suggester: Suggester, coded: list[SyntheticAnswer]
) -> None:
    learned = {code for answer in coded for code in answer.codes}
    texts = [a.text for a in generate(100, seed=99, topics=True)]
    rows = suggester.suggest(texts, threshold=0.0, top_k=None)
    assert {s.code_id for row in rows for s in row} <= set(suggester.codes) <= learned


def test_lowest_threshold_without_limit_returns_every_code_best_first(
    suggester: Suggester,
) -> None:
    [row] = suggester.suggest(["We met, talked and went home."], threshold=0.0, top_k=None)
    assert [s.code_id for s in row] != []
    assert sorted(s.code_id for s in row) == sorted(suggester.codes)
    confidences = [s.confidence for s in row]
    assert confidences == sorted(confidences, reverse=True)


def test_top_k_and_threshold_limit_the_suggestions(suggester: Suggester) -> None:
    texts = [a.text for a in generate(40, seed=5)]
    for row in suggester.suggest(texts, threshold=0.6, top_k=2):
        assert len(row) <= 2
        assert all(s.confidence >= 0.6 for s in row)


@pytest.mark.parametrize(("threshold", "top_k"), [(-0.1, 3), (1.5, 3), (0.5, 0)])
def test_invalid_limits_are_refused(suggester: Suggester, threshold: float, top_k: int) -> None:
    with pytest.raises(ValueError, match=r"threshold|top_k"):
        suggester.suggest(["text"], threshold=threshold, top_k=top_k)


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.text(max_size=80), max_size=4))
def test_confidence_lies_between_zero_and_one(suggester: Suggester, texts: list[str]) -> None:
    rows = suggester.suggest(texts, threshold=0.0, top_k=None)
    assert len(rows) == len(texts)
    for row in rows:
        assert all(0.0 <= s.confidence <= 1.0 and math.isfinite(s.confidence) for s in row)


def test_same_seed_gives_the_same_suggestions(coded: list[SyntheticAnswer]) -> None:
    texts = [a.text for a in generate(30, seed=8)]
    first = train(coded[:300], seed=4).suggest(texts, threshold=0.0, top_k=None)
    second = train(coded[:300], seed=4).suggest(texts, threshold=0.0, top_k=None)
    assert first == second


def test_empty_input_gives_empty_output(suggester: Suggester) -> None:
    assert suggester.suggest([]) == []
    untrained = train([])
    assert untrained.codes == ()
    assert untrained.n_examples == 0
    assert untrained.suggest(["anything", ""]) == [[], []]
    assert apply_rules([], [KeywordRule("scheduling", ("calendar",))]) == []
    assert apply_rules(["a calendar"], []) == [[]]
    with pytest.raises(ValueError, match="Too few"):
        evaluate_heldout([])


def test_examples_may_be_plain_text_and_code_pairs() -> None:
    pairs = [(d.text, set(d.codes)) for d in thin_data()]
    assert train(pairs).examples_per_code == train(thin_data()).examples_per_code


class KeywordCounts:
    """A dense toy backend: how often each of a few words occurs, to show backends plug in."""

    name = "keyword counts"
    words = ("time", "meetings", "friends", "close")

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        return self.transform(texts)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[t.lower().count(w) for w in self.words] for t in texts], dtype=float)

    def terms(self) -> Sequence[str] | None:
        return None


def test_another_backend_can_be_plugged_in() -> None:
    suggester = train(thin_data(), backend=KeywordCounts())
    [[best, *_]] = suggester.suggest(["Old friends, close friends."])
    assert best.code_id == "social"
    assert best.basis == "model (20 coded examples)"


# --- Keyword rules ------------------------------------------------------------------------


def test_rule_matches_whole_words_ignoring_case_and_accents() -> None:
    rules = [KeywordRule("safe-discussion", ("confidential", "élève")), KeywordRule("x", ["café"])]
    texts = ["It stayed CONFIDENTIAL.", "Un ELEVE m'a aidé", "the cafe", "Cafés"]
    rows = apply_rules(texts, rules)
    assert rows[0][0].basis == "rule: confidential"
    assert rows[0][0].confidence == 1.0
    assert rows[1][0].basis == "rule: élève"
    assert [s.code_id for s in rows[2]] == ["x"]
    assert rows[3] == []


def test_rule_never_matches_inside_another_word() -> None:
    rules = [KeywordRule("meet", ("meet", "cat", "ion"))]
    assert apply_rules(["meeting education concatenation met"], rules) == [[]]


def test_rule_without_whole_words_matches_inside_words() -> None:
    [row] = apply_rules(
        ["rescheduled"], [KeywordRule("scheduling", ("schedul",), whole_word=False)]
    )
    assert row[0].basis == "rule: schedul"


def test_multi_word_phrase_matches_across_any_whitespace() -> None:
    [row] = apply_rules(["I felt LEFT\n  out"], [KeywordRule("exclusivity", ("left out",))])
    assert row[0].code_id == "exclusivity"


def test_each_code_is_suggested_once_with_the_first_phrase_that_matched() -> None:
    rules = [KeywordRule("s", ("calendar", "schedule")), KeywordRule("s", ("time",))]
    assert [s.basis for s in apply_rules(["time, schedule, calendar"], rules)[0]] == [
        "rule: calendar"
    ]


def test_blank_phrases_are_ignored() -> None:
    assert apply_rules(["anything at all"], [KeywordRule("x", ("", "  "))]) == [[]]


@settings(max_examples=60, deadline=None)
@given(
    word=st.text(alphabet=LETTERS, min_size=1, max_size=8),
    prefix=st.text(alphabet=LETTERS, max_size=3),
    suffix=st.text(alphabet=LETTERS, max_size=3),
)
def test_whole_word_rules_match_a_word_only_when_it_stands_alone(
    word: str, prefix: str, suffix: str
) -> None:
    rule = KeywordRule("code", (word,))
    [alone] = apply_rules([f"Before, {word.upper()}! after"], [rule])
    assert [s.code_id for s in alone] == ["code"]
    if prefix or suffix:
        assert apply_rules([f"before {prefix}{word}{suffix} after"], [rule]) == [[]]


def test_fold_removes_case_and_accents() -> None:
    assert fold("Évaluation NAÏVE") == "evaluation naive"


# --- Held-out agreement -------------------------------------------------------------------


def test_heldout_report_lists_every_code_and_the_unsuggested_ones() -> None:
    report = evaluate_heldout(thin_data(), test_fraction=0.5, seed=1)
    assert set(report["codes"]) == {"mentor-wish", "scheduling", "social"}
    assert report["codes"]["mentor-wish"]["suggested"] is False
    assert "mentor-wish" in report["not_suggested"]
    for figures in report["codes"].values():
        assert figures["test_positives"] == figures["tp"] + figures["fn"]
        kappa = figures["kappa"]
        assert kappa is None or -1.0 <= kappa <= 1.0
    assert 0.0 <= report["micro"]["f1"] <= 1.0


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2])
def test_heldout_refuses_a_test_fraction_outside_zero_to_one(fraction: float) -> None:
    with pytest.raises(ValueError, match="test_fraction"):
        evaluate_heldout(thin_data(), test_fraction=fraction)


# --- Synthetic answers --------------------------------------------------------------------


def test_synthetic_answers_are_deterministic() -> None:
    assert generate(50, seed=3, topics=True) == generate(50, seed=3, topics=True)
    assert generate(50, seed=3) != generate(50, seed=4)


def test_synthetic_answers_use_known_codes_and_vary() -> None:
    answers = generate(400, seed=2, topics=True)
    known = set(code_keys(topics=True))
    assert len(known) == 30
    assert all(answer.codes <= known and answer.question in QUESTIONS for answer in answers)
    assert any(not answer.codes for answer in answers)
    assert any(len(answer.codes) >= 2 for answer in answers)
    assert any(" not " in answer.text or "never" in answer.text for answer in answers)


def test_denials_carry_no_code() -> None:
    for answer in generate(300, seed=6):
        if "I never felt excluded" in answer.text:
            assert "exclusivity" not in answer.codes
