"""Workbench writes: bringing answers in, codes, codebook versions, passages, rounds, consensus,
memos."""

from __future__ import annotations

import datetime as dt

import pytest

from peermentor.programs import services as programs
from peermentor.programs.models import MemberRole
from peermentor.qualitative import services
from peermentor.qualitative.models import Code, CodebookVersion, Coder, Memo, Segment, Source
from peermentor.qualitative.services import WorkbenchError
from peermentor.qualitative.starter_codebook import starter_codebook
from peermentor.surveys.selectors import pseudonymised_answers
from tests.conftest import World, make_user
from tests.qualitative.workbench_support import (
    TEXTS,
    answered_wave,
    blind_round,
    brought_in,
    codes,
    second_evaluator,
)

pytestmark = pytest.mark.django_db


# --- Bringing answers in ---------------------------------------------------------------------


def test_bring_in_pseudonymises_as_evaluators_see_answers_and_is_idempotent(world: World) -> None:
    wave = answered_wave(world)
    created = services.sources_bring_in(program=world.program, wave=wave, actor=world.evaluator)
    assert created == 3
    assert services.sources_bring_in(program=world.program, wave=wave, actor=None) == 0
    seen = {
        (a.code, a.value)
        for item in pseudonymised_answers(wave=wave).by_question
        for a in item.answers
        if item.question.type == "open_text"
    }
    sources = Source.objects.filter(program=world.program)
    assert {(s.respondent, s.text) for s in sources} == seen
    assert all(s.group is None for s in sources)  # group A has three members: never named
    masked = sources.get(text__startswith="Scheduling")
    assert "[member]" in masked.text
    assert "Member helped" not in masked.text
    assert masked.name == f"{wave.title} · Q1 · {masked.respondent}"
    assert {s.answer.response.wave_id for s in sources} == {wave.pk}


def test_bring_in_names_a_group_of_five_or_more(world: World) -> None:
    for index in range(2):
        person = make_user(f"extra{index}@test.example", f"Extra Person{index}")
        programs.membership_add(
            group=world.group,
            user=person,
            role=MemberRole.MEMBER,
            joined_on=dt.date(2020, 1, 6),
            actor=world.director,
        )
    wave = answered_wave(world)
    services.sources_bring_in(program=world.program, wave=wave, actor=world.evaluator)
    assert {s.group for s in Source.objects.all()} == {world.group}


def test_bring_in_refuses_a_wave_of_another_program(world: World) -> None:
    wave = answered_wave(world)
    with pytest.raises(WorkbenchError):
        services.sources_bring_in(program=world.other_program, wave=wave, actor=None)


# --- Passages in code points -----------------------------------------------------------------


def test_passages_are_counted_in_code_points_with_emoji_and_accents(world: World) -> None:
    source = next(s for s in brought_in(world) if s.text.startswith("Très"))
    (code,) = codes(world, "Support")
    me = services.coder_for(program=world.program, user=world.evaluator)
    segment = services.segment_add(source=source, code=code, coder=me, start=0, end=12)
    assert source.text[segment.start : segment.end] == "Très bien 👍🏽"
    whole = services.segment_add(source=source, code=code, coder=me, start=0, end=len(source.text))
    assert source.text[whole.start : whole.end] == TEXTS["member"]
    assert len(TEXTS["member"].encode("utf-16-le")) // 2 > whole.end  # UTF-16 would overrun


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (5, 2), (0, 10_000)])
def test_passages_outside_the_answer_are_refused(world: World, start: int, end: int) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    me = services.coder_for(program=world.program, user=world.evaluator)
    with pytest.raises(WorkbenchError, match="does not fit"):
        services.segment_add(source=source, code=code, coder=me, start=start, end=end)
    assert not Segment.objects.exists()


def test_folders_and_codes_of_other_programs_cannot_be_applied(world: World) -> None:
    source = brought_in(world)[0]
    me = services.coder_for(program=world.program, user=world.evaluator)
    folder = services.code_create(
        program=world.program, actor=None, name="Benefits", is_codable=False
    )
    with pytest.raises(WorkbenchError, match="folder"):
        services.segment_add(source=source, code=folder, coder=me, start=0, end=3)
    foreign = services.code_create(program=world.other_program, actor=None, name="Elsewhere")
    with pytest.raises(WorkbenchError, match="one program"):
        services.segment_add(source=source, code=foreign, coder=me, start=0, end=3)


def test_a_round_takes_only_its_coders_while_open(world: World) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    second = second_evaluator(world)
    coding_round = blind_round(world, second)
    stranger = Coder.objects.create(program=world.program, kind="imported", name="Stranger")
    with pytest.raises(WorkbenchError, match="not a coder"):
        services.segment_add(
            source=source, code=code, coder=stranger, start=0, end=3, round=coding_round
        )
    services.round_close(coding_round=coding_round, actor=world.evaluator)
    me = services.coder_for(program=world.program, user=world.evaluator)
    with pytest.raises(WorkbenchError, match="closed"):
        services.segment_add(source=source, code=code, coder=me, start=0, end=3, round=coding_round)


def test_coder_for_is_created_once_and_named_after_the_person(world: World) -> None:
    first = services.coder_for(program=world.program, user=world.evaluator)
    assert services.coder_for(program=world.program, user=world.evaluator) == first
    assert (first.name, first.kind) == ("Eve Evaluator", "person")
    assistant = services.assistant_coder(program=world.program)
    assert services.assistant_coder(program=world.program) == assistant
    assert services.consensus_coder(program=world.program).kind == "consensus"


# --- Codes -----------------------------------------------------------------------------------


def test_merge_keeps_passages_collapses_duplicates_reparents_children_and_keeps_memos(
    world: World,
) -> None:
    source = brought_in(world)[0]
    keep, gone = codes(world, "Support", "Help")
    child = services.code_create(program=world.program, actor=None, name="Peer help", parent=gone)
    me = services.coder_for(program=world.program, user=world.evaluator)
    services.segment_add(source=source, code=keep, coder=me, start=0, end=4)
    services.segment_add(source=source, code=gone, coder=me, start=0, end=4)  # a duplicate
    services.segment_add(source=source, code=gone, coder=me, start=5, end=9)
    services.memo_save(program=world.program, author=None, title="Why", text="Because.", code=gone)

    moved = services.code_merge(source_code=gone, into=keep, actor=world.evaluator)

    assert moved == 1
    assert not Code.objects.filter(name="Help").exists()
    assert sorted(keep.segments.values_list("start", "end")) == [(0, 4), (5, 9)]
    child.refresh_from_db()
    assert child.parent == keep
    assert Memo.objects.get().code == keep


def test_merge_into_itself_or_its_own_child_is_refused(world: World) -> None:
    (parent,) = codes(world, "Support")
    child = services.code_create(program=world.program, actor=None, name="Peer", parent=parent)
    with pytest.raises(WorkbenchError):
        services.code_merge(source_code=parent, into=parent, actor=None)
    with pytest.raises(WorkbenchError):
        services.code_merge(source_code=parent, into=child, actor=None)


def test_split_moves_the_chosen_passages_to_a_new_sibling_and_keeps_the_rest(
    world: World,
) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    me = services.coder_for(program=world.program, user=world.evaluator)
    first = services.segment_add(source=source, code=code, coder=me, start=0, end=4)
    second = services.segment_add(source=source, code=code, coder=me, start=5, end=9)

    new = services.code_split(code=code, new_name="Practical help", segments=[second], actor=None)

    assert new.parent_id == code.parent_id
    assert list(code.segments.all()) == [first]
    assert list(new.segments.all()) == [second]
    assert Segment.objects.count() == 2


def test_delete_refuses_a_code_with_passages_unless_asked(world: World) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    child = services.code_create(program=world.program, actor=None, name="Peer", parent=code)
    me = services.coder_for(program=world.program, user=world.evaluator)
    services.segment_add(source=source, code=code, coder=me, start=0, end=4)
    with pytest.raises(WorkbenchError, match="1 coded passage"):
        services.code_delete(code=code, actor=None)
    services.code_delete(code=code, actor=None, with_segments=True)
    child.refresh_from_db()
    assert child.parent is None
    assert not Segment.objects.exists()


def test_code_names_are_unique_and_colours_checked(world: World) -> None:
    codes(world, "Support")
    with pytest.raises(WorkbenchError, match="already"):
        services.code_create(program=world.program, actor=None, name="support")
    with pytest.raises(WorkbenchError, match="colour"):
        services.code_create(program=world.program, actor=None, name="Other", color="red")


def test_move_up_and_down_among_siblings_and_under_a_parent(world: World) -> None:
    first, second, third = codes(world, "A", "B", "C")
    services.code_move(code=third, actor=None, parent=None, direction="up")
    assert list(Code.objects.values_list("name", flat=True)) == ["A", "C", "B"]
    services.code_move(code=second, actor=None, parent=first)
    second.refresh_from_db()
    assert second.parent == first
    with pytest.raises(WorkbenchError, match="under itself"):
        services.code_move(code=first, actor=None, parent=second)


def test_starter_codebook_loads_once(world: World) -> None:
    assert services.starter_codebook_load(program=world.program, actor=None) == 16
    assert services.starter_codebook_load(program=world.program, actor=None) == 0
    names = set(Code.objects.values_list("name", flat=True))
    assert {c.name for c in starter_codebook()} <= names
    folders = Code.objects.filter(is_codable=False)
    assert folders.count() == 2
    assert Code.objects.filter(parent__in=folders).count() == 14


def test_starter_codebook_skips_codes_present_by_name(world: World) -> None:
    codes(world, "Exclusivity")
    assert services.starter_codebook_load(program=world.program, actor=None) == 15


def test_freeze_numbers_versions_and_snapshots_every_code(world: World) -> None:
    services.starter_codebook_load(program=world.program, actor=None)
    one = services.codebook_freeze(program=world.program, actor=world.evaluator, note="Start")
    codes(world, "Extra")
    two = services.codebook_freeze(program=world.program, actor=world.evaluator, note="")
    assert (one.number, two.number) == (1, 2)
    assert len(one.snapshot) == 16
    assert len(two.snapshot) == 17
    entry = next(e for e in one.snapshot if e["name"] == "Exclusivity")
    assert entry["polarity"] == "undesirable"
    assert entry["parent"] is not None
    assert CodebookVersion.objects.count() == 2


# --- Rounds, consensus, memos ----------------------------------------------------------------


def test_round_needs_two_coders_of_the_program(world: World) -> None:
    me = services.coder_for(program=world.program, user=world.evaluator)
    with pytest.raises(WorkbenchError, match="two coders"):
        services.round_create(program=world.program, name="R", blind=True, coders=[me], actor=None)


def test_consensus_keeps_and_drops_passages_of_a_closed_round(world: World) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    second = second_evaluator(world)
    coding_round = blind_round(world, second)
    me = services.coder_for(program=world.program, user=world.evaluator)
    other = services.coder_for(program=world.program, user=second)
    for coder, end in ((me, 4), (other, 9)):
        services.segment_add(
            source=source, code=code, coder=coder, start=0, end=end, round=coding_round
        )
    services.segment_add(source=source, code=code, coder=me, start=10, end=12, round=coding_round)
    services.segment_add(
        source=source, code=code, coder=other, start=10, end=12, round=coding_round
    )
    with pytest.raises(WorkbenchError, match="Close the round"):
        services.consensus_record(
            coding_round=coding_round, source=source, code=code, start=0, end=4, keep=True,
            actor=None,
        )  # fmt: skip
    services.round_close(coding_round=coding_round, actor=None)

    kept = services.consensus_record(
        coding_round=coding_round, source=source, code=code, start=0, end=9, keep=True, actor=None
    )
    assert kept is not None
    assert (kept.coder.kind, kept.round, kept.start, kept.end) == ("consensus", coding_round, 0, 9)
    assert services.consensus_accept_agreed(coding_round=coding_round, actor=None) == 1
    assert services.consensus_accept_agreed(coding_round=coding_round, actor=None) == 0
    services.consensus_record(
        coding_round=coding_round, source=source, code=code, start=0, end=9, keep=False, actor=None
    )
    consensus = Segment.objects.filter(coder__kind="consensus")
    assert list(consensus.values_list("start", "end")) == [(10, 12)]
    with pytest.raises(WorkbenchError, match="closed"):
        services.segment_remove(segment=Segment.objects.get(coder=me, start=0), actor=None)


def test_memos_on_code_answer_passage_and_project(world: World) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    me = services.coder_for(program=world.program, user=world.evaluator)
    segment = services.segment_add(source=source, code=code, coder=me, start=0, end=4)
    on_segment = services.memo_save(
        program=world.program, author=world.evaluator, title="T", text="x", segment=segment
    )
    assert (on_segment.segment, on_segment.source) == (segment, source)
    services.memo_save(program=world.program, author=None, title="P", text="Project note")
    assert Memo.objects.count() == 2
    with pytest.raises(WorkbenchError, match="title"):
        services.memo_save(program=world.program, author=None, title=" ", text="x")
    foreign = services.code_create(program=world.other_program, actor=None, name="Elsewhere")
    with pytest.raises(WorkbenchError, match="another program"):
        services.memo_save(program=world.program, author=None, title="T", text="x", code=foreign)
