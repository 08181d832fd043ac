"""Assisted coding: learned and keyword suggestions, never applied silently, and the assistant's
agreement with the team shown with the number of examples it learned from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from peermentor.qualitative import selectors
from peermentor.qualitative import services_analysis as services
from peermentor.qualitative.models import Code, Coder, CodingRound, Segment, Source, Suggestion
from tests.conftest import World, client_for

SUPPORT_TEXTS = [
    "My peers gave me support and encouragement.",
    "The support of colleagues kept me going.",
    "I felt support and encouragement from the group.",
    "Support from peers when things were hard.",
    "Encouragement and support after a bad review.",
    "Their support helped with my promotion file.",
    "Peer support made the job less lonely.",
    "Warm support and honest encouragement.",
]
SCHEDULING_TEXTS = [
    "Finding a meeting time in the calendar was hard.",
    "Our calendar never had a free meeting slot.",
    "Scheduling meetings around clinics was hard.",
    "The meeting time kept moving in the calendar.",
    "Clinic rotas made the meeting schedule hard.",
    "We cancelled meetings because of the calendar.",
    "A fixed meeting time was hard to keep.",
    "Calendar clashes meant missed meetings.",
]


@dataclass
class Team:
    world: World
    support: Code
    scheduling: Code
    alice: Coder
    new: list[Source]


def _source(world: World, name: str, text: str) -> Source:
    return Source.objects.create(program=world.program, name=name, text=text, respondent=name)


@pytest.fixture
def team(world: World) -> Team:
    program = world.program
    support = Code.objects.create(program=program, name="Support", polarity="benefit")
    scheduling = Code.objects.create(program=program, name="Scheduling", polarity="undesirable")
    alice = Coder.objects.create(program=program, kind="person", user=world.evaluator, name="Alice")
    for index, (code, texts) in enumerate(
        [(support, SUPPORT_TEXTS), (scheduling, SCHEDULING_TEXTS)]
    ):
        for n, text in enumerate(texts):
            source = _source(world, f"R{index}{n}", text)
            Segment.objects.create(source=source, code=code, coder=alice, start=0, end=len(text))
    new = [
        _source(world, "N1", "Peers gave support and encouragement all year."),
        _source(world, "N2", "The calendar made a meeting time hard to find."),
        _source(world, "N3", "The timetable clashed with my clinics."),
    ]
    return Team(world, support, scheduling, alice, new)


def _refresh(team: Team, **kwargs: Any) -> services.RefreshSummary:
    return services.suggestions_refresh(
        program=team.world.program, actor=team.world.evaluator, **kwargs
    )


def _pending(team: Team) -> dict[tuple[str, str], Suggestion]:
    return {
        (s.source.name, s.code.name): s
        for s in Suggestion.objects.filter(status="pending").select_related("source", "code")
    }


def test_suggestions_are_proposed_for_uncoded_answers_only_and_never_applied(team: Team) -> None:
    segments_before = Segment.objects.count()
    summary = _refresh(team)
    assert summary.trained_on == 16
    assert summary.answers_considered == 3
    pending = _pending(team)
    assert ("N1", "Support") in pending
    assert ("N2", "Scheduling") in pending
    assert {name for name, _ in pending} <= {"N1", "N2", "N3"}
    assert pending[("N1", "Support")].trained_on == 16
    assert pending[("N1", "Support")].origin == "model"
    assert 0.5 <= pending[("N1", "Support")].confidence <= 1
    assert Segment.objects.count() == segments_before  # nothing applied


def test_accept_records_the_whole_answer_under_the_assistant(team: Team) -> None:
    _refresh(team)
    suggestion = _pending(team)[("N1", "Support")]
    url = reverse(
        "suggestion_accept",
        kwargs={"slug": team.world.program.slug, "suggestion_id": suggestion.pk},
    )
    response = client_for(team.world.evaluator).post(url)
    assert response.status_code == 302
    segment = Segment.objects.get(source=team.new[0], code=team.support)
    assert segment.coder.kind == "assistant"
    assert (segment.start, segment.end) == (0, len(team.new[0].text))
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert suggestion.decided_by == team.world.evaluator
    # A second decision on it is refused and changes nothing.
    client_for(team.world.evaluator).post(url)
    assert Segment.objects.filter(source=team.new[0]).count() == 1


def test_rejected_suggestions_are_never_suggested_again(team: Team) -> None:
    _refresh(team)
    suggestion = _pending(team)[("N2", "Scheduling")]
    url = reverse(
        "suggestion_reject",
        kwargs={"slug": team.world.program.slug, "suggestion_id": suggestion.pk},
    )
    client_for(team.world.evaluator).post(url)
    assert not Segment.objects.filter(source=team.new[1]).exists()
    _refresh(team)
    _refresh(team)
    assert ("N2", "Scheduling") not in _pending(team)
    assert Suggestion.objects.get(source=team.new[1], code=team.scheduling).status == "rejected"


def test_the_assistants_own_coding_is_never_learned_from(team: Team) -> None:
    _refresh(team)
    services.suggestion_accept(suggestion=_pending(team)[("N1", "Support")], actor=None)
    examples = selectors.training_examples(program=team.world.program)
    assert len(examples) == 16
    assert team.new[0].pk not in {pk for pk, _, _ in examples}
    # An answer only the assistant coded is still waiting for people: it is not "coded".
    assert team.new[0].pk in {pk for pk, _ in selectors.uncoded_sources(program=team.world.program)}
    assert _refresh(team).trained_on == 16


def test_open_blind_rounds_are_not_learned_from(team: Team) -> None:
    blind = CodingRound.objects.create(program=team.world.program, name="R", blind=True)
    Segment.objects.filter(source__name="R00").update(round=blind)
    assert len(selectors.training_examples(program=team.world.program)) == 15


def test_answers_coded_by_people_get_no_suggestions(team: Team) -> None:
    text = team.new[0].text
    Segment.objects.create(
        source=team.new[0], code=team.scheduling, coder=team.alice, start=0, end=len(text)
    )
    _refresh(team)
    assert not Suggestion.objects.filter(source=team.new[0]).exists()


def test_refresh_replaces_pending_suggestions_keeps_decisions(team: Team) -> None:
    _refresh(team)
    accepted = _pending(team)[("N1", "Support")]
    services.suggestion_accept(suggestion=accepted, actor=None)
    _refresh(team, threshold=0.9)
    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    assert Suggestion.objects.filter(source=team.new[0], code=team.support).count() == 1


def test_keyword_rules_suggest_with_their_origin(team: Team) -> None:
    client_for(team.world.evaluator).post(
        reverse("keyword_rule_create", kwargs={"slug": team.world.program.slug}),
        {"code": team.scheduling.pk, "pattern": "timetable", "whole_word": "on"},
    )
    _source(team.world, "N4", "Timetables were a mess.")
    _refresh(team)
    pending = _pending(team)
    rule_made = pending[("N3", "Scheduling")]
    assert rule_made.origin == "keyword"
    assert rule_made.trained_on == 0
    assert ("N4", "Scheduling") not in pending or pending[("N4", "Scheduling")].origin == "model"


def test_keyword_rules_may_match_inside_words(team: Team) -> None:
    services.keyword_rule_create(
        program=team.world.program,
        actor=None,
        code=team.scheduling,
        pattern="timetable",
        whole_word=False,
    )
    _source(team.world, "N4", "Timetables were a mess.")
    _refresh(team)
    assert _pending(team)[("N4", "Scheduling")].origin == "keyword"


def test_a_keyword_rule_needs_words_and_a_code_of_the_program(team: Team) -> None:
    with pytest.raises(services.AnalysisError):
        services.keyword_rule_create(
            program=team.world.program, actor=None, code=team.support, pattern="  "
        )
    foreign = Code.objects.create(program=team.world.other_program, name="Other")
    with pytest.raises(services.AnalysisError):
        services.keyword_rule_create(
            program=team.world.program, actor=None, code=foreign, pattern="x"
        )
    response = client_for(team.world.evaluator).post(
        reverse("keyword_rule_create", kwargs={"slug": team.world.program.slug}),
        {"code": foreign.pk, "pattern": "x"},
    )
    assert response.status_code == 302
    assert not team.world.program.keyword_rules.exists()


def test_deleting_a_rule(team: Team) -> None:
    rule = services.keyword_rule_create(
        program=team.world.program, actor=None, code=team.support, pattern="peer"
    )
    client_for(team.world.evaluator).post(
        reverse("keyword_rule_delete", kwargs={"slug": team.world.program.slug, "rule_id": rule.pk})
    )
    assert not team.world.program.keyword_rules.exists()


def test_train_from_the_page_and_see_what_it_learned_from(team: Team) -> None:
    client = client_for(team.world.evaluator)
    slug = team.world.program.slug
    response = client.post(
        reverse("assisted_coding_train", kwargs={"slug": slug}), {"threshold": "0.5"}
    )
    assert response.status_code == 302
    page = client.get(reverse("assisted_coding", kwargs={"slug": slug})).content.decode()
    assert "<strong>16</strong> coded answers" in page
    assert "learned from 16 coded answers" in page
    assert "Peers gave support and encouragement all year." in page


def test_agreement_with_people_on_answers_both_coded(team: Team) -> None:
    _refresh(team)
    pending = _pending(team)
    services.suggestion_accept(suggestion=pending[("N1", "Support")], actor=None)
    services.suggestion_accept(suggestion=pending[("N2", "Scheduling")], actor=None)
    # Alice later codes N1 the same way and N2 differently.
    for source, code in ((team.new[0], team.support), (team.new[1], team.support)):
        Segment.objects.create(
            source=source, code=code, coder=team.alice, start=0, end=len(source.text)
        )
    answers, rows, pooled = selectors.assistant_agreement(
        program=team.world.program, reference=str(team.alice.pk)
    )
    assert answers == 2
    by_code = {row.label: row for row in rows}
    assert (by_code["Support"].both, by_code["Support"].reference_only) == (1, 1)
    assert by_code["Support"].percent == 0.5
    assert (by_code["Scheduling"].assistant_only, by_code["Scheduling"].percent) == (1, 0.5)
    assert pooled is not None
    assert (pooled.units, pooled.percent) == (4, 0.5)
    page = client_for(team.world.evaluator).get(
        reverse("assisted_coding_agreement", kwargs={"slug": team.world.program.slug})
    )
    text = page.content.decode()
    assert "<strong>2</strong> answers coded by both" in text
    heldout = page.context["heldout"]
    assert heldout["n_train"] + heldout["n_test"] == 18  # 16 + the two Alice coded
    assert f"learned from <strong>{heldout['n_train']}</strong>" in text


def test_agreement_says_so_when_nothing_can_be_compared(team: Team) -> None:
    page = client_for(team.world.evaluator).get(
        reverse("assisted_coding_agreement", kwargs={"slug": team.world.program.slug})
    )
    assert "nothing to compare" in page.content.decode()


def test_training_counts_count_each_coded_answer_once(team: Team) -> None:
    bob = Coder.objects.create(program=team.world.program, kind="imported", name="Bob")
    source = Source.objects.get(name="R00")
    Segment.objects.create(source=source, code=team.support, coder=bob, start=0, end=5)
    total, per_code = selectors.training_counts(program=team.world.program)
    assert total == 16
    assert {label.name: n for label, n in per_code} == {"Support": 8, "Scheduling": 8}
    assert selectors.uncoded_count(program=team.world.program) == 3


def test_the_most_confident_fifty_answers_are_listed_first(team: Team) -> None:
    for n in range(60):
        source = _source(team.world, f"M{n:02d}", f"Answer number {n}")
        Suggestion.objects.create(
            source=source, code=team.support, origin="model", confidence=n / 100, trained_on=16
        )
    listed, total = selectors.pending_suggestions(program=team.world.program)
    assert total == 60
    assert len(listed) == selectors.MAX_SUGGESTED_SOURCES
    assert [item.source.name for item in listed[:2]] == ["M59", "M58"]
