"""Code counts, co-occurrence and codes by group, on a small data set checked by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from peermentor.qualitative import selectors
from peermentor.qualitative.models import Code, Coder, CodingRound, Segment, Source
from tests.conftest import World, make_user


@dataclass
class Data:
    """The hand-checked data set: three codes, three coders, four answers, two waves."""

    world: World
    support: Code
    scheduling: Code
    growth: Code
    alice: Coder
    bob: Coder
    consensus: Coder
    big_group: Any
    sources: list[Source]
    q1: Any
    q2: Any
    w1: Any
    w2: Any


def survey(program: Any) -> tuple[Any, Any, Any, Any]:
    """Two waves of an instrument with two open questions."""
    from peermentor.surveys.models import Instrument, Question, Wave

    instrument = Instrument.objects.create(program=program, name="Evaluation")
    q1 = Question.objects.create(
        instrument=instrument, key="helped", type="open_text", label="What helped?", position=1
    )
    q2 = Question.objects.create(
        instrument=instrument, key="hindered", type="open_text", label="What hindered?"
    )
    w1 = Wave.objects.create(
        program=program,
        instrument=instrument,
        title="Baseline",
        opens_on=dt.date(2024, 1, 1),
        closes_on=dt.date(2024, 1, 31),
    )
    w2 = Wave.objects.create(
        program=program,
        instrument=instrument,
        title="Close-out",
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 1, 31),
    )
    return q1, q2, w1, w2


def big_group(world: World) -> Any:
    """A group of five members, whose name evaluators may see."""
    from peermentor.programs import services

    group = services.group_create(
        program=world.program,
        name="Group C",
        time_zone="UTC",
        formed_on=dt.date(2020, 1, 6),
        actor=world.director,
    )
    for n in range(5):
        user = make_user(f"c{n}@test.example", f"Zebedee Quux{n}")
        services.membership_add(
            group=group,
            user=user,
            role="member",
            joined_on=dt.date(2020, 1, 6),
            actor=world.director,
        )
    return group


def build(world: World) -> Data:
    """Codes A (Support), B (Scheduling), C (Growth, under Support); coders Alice (the
    evaluator), Bob (imported) and the consensus; four answers:

    s1 W1 Q1 R01 Group C   A by Alice, Bob, consensus [0,10); C by Alice [5,20)
    s2 W1 Q2 R01 Group C   B by Alice
    s3 W1 Q1 R02 Group A   A by Alice [0,7); B by Bob [0,5)  (Group A has 3 members)
    s4 W2 Q1 R01 no group  A by Alice [0,12); B by Alice [18,28)
    """
    program = world.program
    q1, q2, w1, w2 = survey(program)
    group = big_group(world)
    support = Code.objects.create(program=program, name="Support", polarity="benefit")
    scheduling = Code.objects.create(
        program=program, name="Scheduling", polarity="undesirable", position=1
    )
    growth = Code.objects.create(program=program, name="Growth", parent=support)
    alice = Coder.objects.create(program=program, kind="person", user=world.evaluator, name="Alice")
    bob = Coder.objects.create(program=program, kind="imported", name="Bob")
    consensus = Coder.objects.create(program=program, kind="consensus", name="Consensus")
    rows = [
        (w1, q1, "R01", group, "The group gave me support and growth."),
        (w1, q2, "R01", group, "Scheduling was hard for all of us."),
        (w1, q1, "R02", world.group, "Support from peers."),
        (w2, q1, "R01", None, "More support from all, less scheduling trouble."),
    ]
    sources = [
        Source.objects.create(
            program=program,
            wave=wave,
            question=question,
            respondent=respondent,
            group=grp,
            name=f"{wave.title} {respondent} {question.key}",
            text=text,
        )
        for wave, question, respondent, grp, text in rows
    ]
    s1, s2, s3, s4 = sources
    for source, code, coder, start, end in [
        (s1, support, alice, 0, 10),
        (s1, support, bob, 0, 10),
        (s1, support, consensus, 0, 10),
        (s1, growth, alice, 5, 20),
        (s2, scheduling, alice, 0, 10),
        (s3, support, alice, 0, 7),
        (s3, scheduling, bob, 0, 5),
        (s4, support, alice, 0, 12),
        (s4, scheduling, alice, 18, 28),
    ]:
        Segment.objects.create(source=source, code=code, coder=coder, start=start, end=end)
    return Data(
        world, support, scheduling, growth, alice, bob, consensus, group, sources, q1, q2, w1, w2
    )


@pytest.fixture
def data(world: World) -> Data:
    return build(world)


def _counts(counts: list[selectors.CodeCount]) -> dict[str, tuple[int, int, int]]:
    return {c.code.path: (c.segments, c.answers, c.respondents) for c in counts}


def test_overall_counts_passages_answers_and_respondents(data: Data) -> None:
    frequencies = selectors.code_frequencies(
        program=data.world.program, viewer=data.world.evaluator
    )
    # R01 of the baseline and R01 of the close-out are two people: respondent codes are per wave.
    assert _counts(frequencies.overall) == {
        "Support": (5, 3, 3),
        "Support › Growth": (1, 1, 1),
        "Scheduling": (3, 3, 3),
    }


def test_codes_are_listed_parents_before_children(data: Data) -> None:
    labels = [label.path for label in selectors.code_labels(program=data.world.program)]
    assert labels == ["Support", "Support › Growth", "Scheduling"]


def test_counts_of_one_coder_and_of_the_consensus(data: Data) -> None:
    program, viewer = data.world.program, data.world.evaluator
    alice = selectors.code_frequencies(program=program, viewer=viewer, coder=str(data.alice.pk))
    assert _counts(alice.overall) == {
        "Support": (3, 3, 3),
        "Support › Growth": (1, 1, 1),
        "Scheduling": (2, 2, 2),
    }
    agreed = selectors.code_frequencies(program=program, viewer=viewer, coder="consensus")
    assert _counts(agreed.overall)["Support"] == (1, 1, 1)
    assert _counts(agreed.overall)["Scheduling"] == (0, 0, 0)


def test_counts_by_question(data: Data) -> None:
    frequencies = selectors.code_frequencies(
        program=data.world.program, viewer=data.world.evaluator, by="question"
    )
    sections = {name: _counts(counts) for name, counts in frequencies.sections}
    assert sections == {
        "What helped?": {
            "Support": (5, 3, 3),
            "Support › Growth": (1, 1, 1),
            "Scheduling": (2, 2, 2),
        },
        "What hindered?": {"Scheduling": (1, 1, 1)},
    }


def test_counts_by_wave(data: Data) -> None:
    frequencies = selectors.code_frequencies(
        program=data.world.program, viewer=data.world.evaluator, by="wave"
    )
    sections = {name: _counts(counts) for name, counts in frequencies.sections}
    assert sections["Baseline"] == {
        "Support": (4, 2, 2),
        "Support › Growth": (1, 1, 1),
        "Scheduling": (2, 2, 2),
    }
    assert sections["Close-out"] == {"Support": (1, 1, 1), "Scheduling": (1, 1, 1)}


def test_counts_by_group_name_only_groups_of_five(data: Data) -> None:
    frequencies = selectors.code_frequencies(
        program=data.world.program, viewer=data.world.evaluator, by="group"
    )
    sections = {name: _counts(counts) for name, counts in frequencies.sections}
    assert set(sections) == {"Group C", selectors.SMALL_GROUPS, selectors.NO_GROUP}
    assert sections["Group C"]["Support"] == (3, 1, 1)
    assert sections[selectors.SMALL_GROUPS] == {"Support": (1, 1, 1), "Scheduling": (1, 1, 1)}


def _matrix(matrix: selectors.Matrix) -> dict[tuple[str, str], int]:
    return {
        (row.name, column.name): matrix.cells[i][j]
        for i, row in enumerate(matrix.rows)
        for j, column in enumerate(matrix.rows)
    }


def test_cooccurrence_on_the_same_answer_is_symmetric_and_counts_answers(data: Data) -> None:
    matrix = selectors.code_cooccurrence(program=data.world.program, viewer=data.world.evaluator)
    cells = _matrix(matrix)
    assert cells[("Support", "Support")] == 3
    assert cells[("Scheduling", "Scheduling")] == 3
    assert cells[("Growth", "Growth")] == 1
    assert cells[("Support", "Scheduling")] == 2  # s3 and s4
    assert cells[("Support", "Growth")] == 1
    assert cells[("Scheduling", "Growth")] == 0
    assert all(cells[(a, b)] == cells[(b, a)] for a, b in cells)


def test_cooccurrence_of_overlapping_passages(data: Data) -> None:
    matrix = selectors.code_cooccurrence(
        program=data.world.program, viewer=data.world.evaluator, unit="overlap"
    )
    cells = _matrix(matrix)
    # s3 overlaps (0-7 with 0-5); s4's passages are apart (0-12 and 18-28).
    assert cells[("Support", "Scheduling")] == cells[("Scheduling", "Support")] == 1
    assert cells[("Support", "Growth")] == 1  # s1: 0-10 and 5-20
    assert cells[("Support", "Support")] == 3


def test_cooccurrence_of_one_coder(data: Data) -> None:
    matrix = selectors.code_cooccurrence(
        program=data.world.program, viewer=data.world.evaluator, coder=str(data.alice.pk)
    )
    assert _matrix(matrix)[("Support", "Scheduling")] == 1  # only s4: Bob coded s3's scheduling


def test_code_by_group_hides_small_groups_and_counts_answers(data: Data) -> None:
    matrix = selectors.code_group_matrix(program=data.world.program, viewer=data.world.evaluator)
    assert matrix.columns == ["Group C", selectors.SMALL_GROUPS, selectors.NO_GROUP]
    assert "Group A" not in matrix.columns
    cells = {row.path: cells for row, cells in zip(matrix.rows, matrix.cells, strict=True)}
    assert cells == {
        "Support": [1, 1, 1],
        "Support › Growth": [1, 0, 0],
        "Scheduling": [1, 1, 1],
    }
    assert matrix.column_totals == [2, 1, 1]


def test_a_group_that_shrinks_below_five_is_no_longer_named(data: Data) -> None:
    membership = data.big_group.memberships.first()
    membership.left_on = dt.date(2025, 6, 1)
    membership.save()
    matrix = selectors.code_group_matrix(program=data.world.program, viewer=data.world.evaluator)
    assert "Group C" not in matrix.columns
    assert matrix.columns == [selectors.SMALL_GROUPS, selectors.NO_GROUP]
    assert matrix.column_totals == [3, 1]


def test_open_blind_round_hides_other_coders_work_until_it_closes(data: Data) -> None:
    world = data.world
    carol_user = make_user("carol@test.example", "Carol Coder")
    carol = Coder.objects.create(
        program=world.program, kind="person", user=carol_user, name="Carol"
    )
    blind = CodingRound.objects.create(program=world.program, name="Round 1", blind=True)
    Segment.objects.create(
        source=data.sources[1], code=data.growth, coder=carol, round=blind, start=0, end=5
    )

    def growth_for(viewer: Any) -> tuple[int, int, int]:
        counts = selectors.code_frequencies(program=world.program, viewer=viewer).overall
        return _counts(counts)["Support › Growth"]

    assert growth_for(world.evaluator) == (1, 1, 1)
    assert growth_for(carol_user) == (2, 2, 1)  # her own coding counts for her: s1 and s2, R01
    blind.status = CodingRound.Status.CLOSED
    blind.save()
    assert growth_for(world.evaluator) == (2, 2, 1)
