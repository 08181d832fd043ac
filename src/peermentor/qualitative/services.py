"""Writes of the qualitative workbench: sources, coders, codes, codebook versions, segments,
rounds, consensus and memos.

Every function takes keyword arguments only, runs in one transaction and records an audit entry
for what it changed. Text positions are Unicode code points, zero-based, end exclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.core.audit import audit_record
from peermentor.programs.models import Group, Program
from peermentor.qualitative.models import (
    Code,
    CodebookVersion,
    Coder,
    CodingRound,
    Memo,
    Polarity,
    Segment,
    Source,
)
from peermentor.qualitative.refi_model import COLOR_RE
from peermentor.qualitative.starter_codebook import PARENTS, UNDESIRABLE, starter_codebook
from peermentor.surveys.models import Answer, Question, Response, Wave
from peermentor.surveys.pseudonymise import group_label, respondent_codes
from peermentor.surveys.selectors import program_name_masker, wave_questions

CODE_FIELDS = (
    "name",
    "definition",
    "when_to_use",
    "when_not_to_use",
    "example",
    "color",
    "polarity",
    "is_codable",
)


class WorkbenchError(ValueError):
    """A change to the workbench that cannot be made, with a message saying why."""


# --- Sources ---------------------------------------------------------------------------------


def _real_group_names(program: Program) -> dict[int, Group]:
    """Groups whose label evaluators see is their real name (five or more current members)."""
    groups = Group.objects.filter(program=program).annotate(
        current=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )
    return {g.pk: g for g in groups if group_label(g.name, g.current) == g.name}


def sources_bring_in(*, program: Program, wave: Wave, actor: User | None) -> int:
    """Create a source for every non-empty open-text answer of the wave not yet brought in."""
    if wave.program_id != program.pk:
        raise WorkbenchError("That wave belongs to another program.")
    questions = {
        q.pk: (position, q)
        for position, q in enumerate(wave_questions(wave=wave), start=1)
        if q.type == Question.Type.OPEN_TEXT
    }
    # Respondent codes are given over every response of the wave in the order evaluators see.
    responses = list(Response.objects.filter(wave=wave).order_by("id").only("id", "group_id"))
    codes = respondent_codes(str(r.pk) for r in responses)
    group_of = {r.pk: r.group_id for r in responses}
    groups = _real_group_names(program)
    masker = program_name_masker(program=program)
    answers = (
        Answer.objects.filter(response__wave=wave, question_id__in=questions)
        .exclude(text="")
        .filter(coding_source__isnull=True)
        .only("id", "response_id", "question_id", "text")
        .order_by("response_id", "question_id")
    )
    created = []
    for answer in answers:
        text = masker.mask(answer.text).strip()
        if not text:
            continue
        position, question = questions[answer.question_id]
        respondent = codes[str(answer.response_id)]
        group = groups.get(group_of.get(answer.response_id) or 0)
        created.append(
            Source(
                program=program,
                answer=answer,
                wave=wave,
                question=question,
                group=group,
                respondent=respondent,
                name=f"{wave.title} · Q{position} · {respondent}",
                text=text,
                variables={"wave": wave.title, "group": group.name if group else ""},
            )
        )
    with transaction.atomic():
        Source.objects.bulk_create(created)
        if created:
            audit_record(
                action="workbench.sources_brought_in",
                actor=actor,
                target=wave,
                program_id=program.pk,
                count=len(created),
            )
    return len(created)


# --- Coders ----------------------------------------------------------------------------------


def coder_for(*, program: Program, user: User) -> Coder:
    """The person coder of this evaluator in the program, created on first use."""
    with transaction.atomic():
        coder, made = Coder.objects.get_or_create(
            program=program,
            user=user,
            kind=Coder.Kind.PERSON,
            defaults={"name": str(user)},
        )
        if made:
            audit_record(action="workbench.coder_created", actor=user, target=coder)
    return coder


def assistant_coder(*, program: Program) -> Coder:
    """The program's assistant coder (accepted suggestions are recorded under it)."""
    coder, _ = Coder.objects.get_or_create(
        program=program, kind=Coder.Kind.ASSISTANT, defaults={"name": "Assistant"}
    )
    return coder


def consensus_coder(*, program: Program) -> Coder:
    """The program's consensus coder: what the team agreed after comparing a round."""
    coder, _ = Coder.objects.get_or_create(
        program=program, kind=Coder.Kind.CONSENSUS, defaults={"name": "Consensus"}
    )
    return coder


# --- Codes -----------------------------------------------------------------------------------


def _check_code_fields(program: Program, fields: dict[str, Any], code: Code | None) -> None:
    unknown = set(fields) - set(CODE_FIELDS)
    if unknown:
        raise WorkbenchError(f"Unknown code fields: {', '.join(sorted(unknown))}.")
    if "name" in fields:
        name = str(fields["name"]).strip()
        if not name:
            raise WorkbenchError("A code needs a name.")
        fields["name"] = name
        same = Code.objects.filter(program=program, name__iexact=name)
        if code is not None:
            same = same.exclude(pk=code.pk)
        if same.exists():
            raise WorkbenchError(f"The codebook has a code called “{name}” already.")
    if "polarity" in fields and fields["polarity"] not in Polarity.values:
        raise WorkbenchError(f"Unknown polarity {fields['polarity']!r}.")
    color = fields.get("color")
    if color is not None and not COLOR_RE.fullmatch(str(color)):
        raise WorkbenchError(f"The colour {color!r} is not of the form #rrggbb or #rgb.")


def _check_parent(program: Program, parent: Code | None, code: Code | None) -> None:
    if parent is None:
        return
    if parent.program_id != program.pk:
        raise WorkbenchError("The parent code belongs to another program.")
    ancestor: Code | None = parent
    while ancestor is not None:
        if code is not None and ancestor.pk == code.pk:
            raise WorkbenchError("A code cannot go under itself or under one of its own codes.")
        ancestor = ancestor.parent


def _next_position(program: Program, parent: Code | None) -> int:
    last = Code.objects.filter(program=program, parent=parent).aggregate(m=Max("position"))["m"]
    return 0 if last is None else last + 1


def code_create(
    *, program: Program, actor: User | None, name: str, parent: Code | None = None, **fields: Any
) -> Code:
    """Add a code to the program's codebook, at the end of its parent's codes."""
    fields = {"name": name, **fields}
    _check_code_fields(program, fields, None)
    _check_parent(program, parent, None)
    with transaction.atomic():
        code = Code.objects.create(
            program=program, parent=parent, position=_next_position(program, parent), **fields
        )
        audit_record(action="workbench.code_created", actor=actor, target=code)
    return code


def code_update(*, code: Code, actor: User | None, **fields: Any) -> Code:
    """Change a code's name, guidance, colour, polarity or whether it can be applied."""
    _check_code_fields(code.program, fields, code)
    if fields.get("is_codable") is False and code.segments.exists():
        raise WorkbenchError(
            f"“{code.name}” has coded passages; move them to another code before making it a "
            "folder."
        )
    with transaction.atomic():
        for key, value in fields.items():
            setattr(code, key, value)
        code.save()
        audit_record(
            action="workbench.code_updated",
            actor=actor,
            target=code,
            fields=len(fields),
        )
    return code


def code_move(
    *,
    code: Code,
    actor: User | None,
    parent: Code | None = None,
    direction: str | None = None,
) -> Code:
    """Put a code under another parent (None: top level), or move it up or down among siblings."""
    with transaction.atomic():
        if direction in ("up", "down"):
            _swap_with_sibling(code, direction)
        else:
            _check_parent(code.program, parent, code)
            code.parent = parent
            code.position = _next_position(code.program, parent)
            code.save(update_fields=["parent", "position"])
        audit_record(
            action="workbench.code_moved",
            actor=actor,
            target=code,
            parent_id=code.parent_id,
            direction=direction or "",
        )
    return code


def _swap_with_sibling(code: Code, direction: str) -> None:
    siblings = list(Code.objects.filter(program=code.program, parent_id=code.parent_id))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == code.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    code.refresh_from_db(fields=["position"])


def code_delete(*, code: Code, actor: User | None, with_segments: bool = False) -> None:
    """Delete a code (its child codes move up to its parent); refuse while it has coded
    passages unless ``with_segments`` says to delete them too."""
    count = code.segments.count()
    if count and not with_segments:
        raise WorkbenchError(
            f"“{code.name}” has {count} coded passage{'s' if count != 1 else ''}: merge it into "
            "another code, or confirm that they are deleted with it."
        )
    with transaction.atomic():
        code.children.update(parent=code.parent)
        audit_record(
            action="workbench.code_deleted",
            actor=actor,
            target=code,
            segments_deleted=count,
        )
        code.delete()


def code_merge(*, source_code: Code, into: Code, actor: User | None) -> int:
    """Merge a code into another: its passages, child codes and memos move; duplicates collapse.

    Returns the number of passages moved (duplicates of passages ``into`` has are dropped).
    """
    if source_code.pk == into.pk:
        raise WorkbenchError("Choose another code to merge into.")
    if source_code.program_id != into.program_id:
        raise WorkbenchError("Both codes must belong to the same program.")
    if not into.is_codable:
        raise WorkbenchError(f"“{into.name}” is a folder: passages cannot be coded with it.")
    _check_parent(into.program, into, source_code)
    with transaction.atomic():
        existing = set(into.segments.values_list("source_id", "coder_id", "start", "end"))
        moved = 0
        for segment in source_code.segments.all():
            key = (segment.source_id, segment.coder_id, segment.start, segment.end)
            if key in existing:
                Segment.objects.filter(pk=segment.pk).delete()
                continue
            existing.add(key)
            segment.code = into
            segment.save(update_fields=["code"])
            moved += 1
        source_code.children.update(parent=into)
        Memo.objects.filter(code=source_code).update(code=into)
        audit_record(
            action="workbench.code_merged",
            actor=actor,
            target=into,
            merged=source_code.pk,
            moved=moved,
        )
        source_code.delete()
    return moved


def code_split(
    *, code: Code, new_name: str, segments: Iterable[Segment], actor: User | None
) -> Code:
    """Split a code: a new sibling code takes the chosen passages; the others stay."""
    chosen = list(segments)
    if any(segment.code_id != code.pk for segment in chosen):
        raise WorkbenchError(f"Only passages coded “{code.name}” can move to the new code.")
    with transaction.atomic():
        new = code_create(
            program=code.program,
            actor=actor,
            name=new_name,
            parent=code.parent,
            definition=code.definition,
            color=code.color,
            polarity=code.polarity,
        )
        Segment.objects.filter(pk__in=[s.pk for s in chosen]).update(code=new)
        audit_record(
            action="workbench.code_split", actor=actor, target=code, new=new.pk, moved=len(chosen)
        )
    return new


def starter_codebook_load(*, program: Program, actor: User | None) -> int:
    """Add the fourteen starter codes (and their two parent folders) the codebook lacks."""
    have = {name.casefold() for name in program.codes.values_list("name", flat=True)}
    created = 0
    with transaction.atomic():
        parents: dict[str, Code] = {}
        for title in PARENTS:
            parent = Code.objects.filter(program=program, name__iexact=title).first()
            if parent is None:
                polarity = "undesirable" if title == UNDESIRABLE else "benefit"
                parent = code_create(
                    program=program,
                    actor=actor,
                    name=title,
                    polarity=polarity,
                    is_codable=False,
                    color="#6c757d",
                )
                created += 1
            parents[title] = parent
        for starter in starter_codebook():
            if starter.name.casefold() in have:
                continue
            code_create(
                program=program,
                actor=actor,
                name=starter.name,
                parent=parents[starter.parent],
                definition=starter.definition,
                when_to_use=starter.use_when,
                when_not_to_use=starter.do_not_use_when,
                example=starter.example,
                color=starter.colour,
                polarity=starter.polarity,
            )
            created += 1
        audit_record(
            action="workbench.starter_codebook_loaded", actor=actor, target=program, created=created
        )
    return created


def _snapshot(program: Program) -> list[dict[str, Any]]:
    codes = list(program.codes.select_related("parent"))
    return [
        {
            "guid": str(code.guid),
            "parent": str(code.parent.guid) if code.parent else None,
            "position": code.position,
            **{key: getattr(code, key) for key in CODE_FIELDS},
        }
        for code in codes
    ]


def codebook_freeze(*, program: Program, actor: User | None, note: str = "") -> CodebookVersion:
    """Keep a numbered copy of every code's fields, so reports can cite the codebook used."""
    with transaction.atomic():
        last = CodebookVersion.objects.filter(program=program).aggregate(m=Max("number"))["m"]
        version = CodebookVersion.objects.create(
            program=program,
            number=(last or 0) + 1,
            note=note.strip()[:300],
            snapshot=_snapshot(program),
            created_by=actor,
        )
        audit_record(
            action="workbench.codebook_frozen", actor=actor, target=version, number=version.number
        )
    return version


# --- Segments --------------------------------------------------------------------------------


def _check_segment(
    source: Source, code: Code, coder: Coder, start: int, end: int, coding_round: CodingRound | None
) -> None:
    length = len(source.text)
    if not 0 <= start < end <= length:
        raise WorkbenchError(
            f"The passage {start}–{end} does not fit the answer “{source.name}” of {length} "
            f"characters: it needs 0 ≤ start < end ≤ {length}."
        )
    if code.program_id != source.program_id or coder.program_id != source.program_id:
        raise WorkbenchError("The code, the coder and the answer must belong to one program.")
    if not code.is_codable:
        raise WorkbenchError(f"“{code.name}” is a folder: choose one of the codes under it.")
    if coding_round is not None:
        if coding_round.program_id != source.program_id:
            raise WorkbenchError("That round belongs to another program.")
        if not coding_round.is_open:
            raise WorkbenchError(f"The round “{coding_round.name}” is closed.")
        if (
            coder.kind != Coder.Kind.CONSENSUS
            and not coding_round.coders.filter(pk=coder.pk).exists()
        ):
            raise WorkbenchError(f"{coder.name} is not a coder of the round “{coding_round.name}”.")


def segment_add(
    *,
    source: Source,
    code: Code,
    coder: Coder,
    start: int,
    end: int,
    round: CodingRound | None = None,  # the name the brief gives callers
    actor: User | None = None,
) -> Segment:
    """Code ``source.text[start:end]`` (code points) with a code; the same passage twice is one."""
    _check_segment(source, code, coder, start, end, round)
    with transaction.atomic():
        segment, made = Segment.objects.get_or_create(
            source=source,
            code=code,
            coder=coder,
            start=start,
            end=end,
            defaults={"round": round},
        )
        if made:
            audit_record(
                action="workbench.segment_added",
                actor=actor,
                target=segment,
                code=code.pk,
                source=source.pk,
            )
    return segment


def segment_remove(*, segment: Segment, actor: User | None) -> None:
    """Remove a coded passage (refused while its round is closed, except for consensus)."""
    if (
        segment.round is not None
        and not segment.round.is_open
        and segment.coder.kind != Coder.Kind.CONSENSUS
    ):
        raise WorkbenchError(
            f"The round “{segment.round.name}” is closed: its coding is kept as it was."
        )
    with transaction.atomic():
        audit_record(
            action="workbench.segment_removed",
            actor=actor,
            target=segment,
            code=segment.code_id,
            source=segment.source_id,
        )
        segment.delete()


# --- Rounds and consensus --------------------------------------------------------------------


def round_create(
    *,
    program: Program,
    name: str,
    blind: bool,
    coders: Sequence[Coder],
    actor: User | None,
) -> CodingRound:
    """Open a coding round for two or more of the program's coders."""
    name = name.strip()
    if not name:
        raise WorkbenchError("A round needs a name.")
    people = list(dict.fromkeys(coders))
    if len(people) < 2:
        raise WorkbenchError("A round needs at least two coders, so their coding can be compared.")
    if any(c.program_id != program.pk or c.kind == Coder.Kind.CONSENSUS for c in people):
        raise WorkbenchError("Choose coders of this program (not the consensus coder).")
    with transaction.atomic():
        coding_round = CodingRound.objects.create(
            program=program, name=name, blind=blind, created_by=actor
        )
        coding_round.coders.set(people)
        audit_record(
            action="workbench.round_created",
            actor=actor,
            target=coding_round,
            blind=blind,
            coders=",".join(str(c.pk) for c in people),
        )
    return coding_round


def round_close(*, coding_round: CodingRound, actor: User | None) -> CodingRound:
    """Close a round: coders see each other's coding and can compare it."""
    if not coding_round.is_open:
        raise WorkbenchError(f"The round “{coding_round.name}” is closed already.")
    with transaction.atomic():
        coding_round.status = CodingRound.Status.CLOSED
        coding_round.closed_at = timezone.now()
        coding_round.save(update_fields=["status", "closed_at"])
        audit_record(action="workbench.round_closed", actor=actor, target=coding_round)
    return coding_round


def _check_consensus(coding_round: CodingRound) -> None:
    if coding_round.is_open:
        raise WorkbenchError("Close the round before recording a consensus coding.")


def consensus_record(
    *,
    coding_round: CodingRound,
    source: Source,
    code: Code,
    start: int,
    end: int,
    keep: bool,
    actor: User | None,
) -> Segment | None:
    """Keep a passage in the team's consensus coding of a closed round, or drop it from it."""
    _check_consensus(coding_round)
    consensus = consensus_coder(program=coding_round.program)
    _check_segment(source, code, consensus, start, end, None)
    with transaction.atomic():
        found = Segment.objects.filter(
            source=source, code=code, coder=consensus, start=start, end=end
        )
        segment = None
        if keep:
            segment, _ = Segment.objects.get_or_create(
                source=source,
                code=code,
                coder=consensus,
                start=start,
                end=end,
                defaults={"round": coding_round},
            )
        else:
            found.delete()
        audit_record(
            action="workbench.consensus_recorded",
            actor=actor,
            target=coding_round,
            source=source.pk,
            code=code.pk,
            start=start,
            end=end,
            keep=keep,
        )
    return segment


def consensus_accept_agreed(*, coding_round: CodingRound, actor: User | None) -> int:
    """Copy into the consensus every passage that all coders of the closed round coded alike."""
    _check_consensus(coding_round)
    coders = set(coding_round.coders.values_list("pk", flat=True))
    by_passage: dict[tuple[int, int, int, int], set[int]] = {}
    for source_id, code_id, start, end, coder_id in Segment.objects.filter(
        round=coding_round, coder_id__in=coders
    ).values_list("source_id", "code_id", "start", "end", "coder_id"):
        by_passage.setdefault((source_id, code_id, start, end), set()).add(coder_id)
    consensus = consensus_coder(program=coding_round.program)
    agreed = [key for key, who in by_passage.items() if who == coders]
    have = set(
        Segment.objects.filter(coder=consensus).values_list("source_id", "code_id", "start", "end")
    )
    new = [
        Segment(source_id=s, code_id=c, coder=consensus, start=a, end=b, round=coding_round)
        for (s, c, a, b) in agreed
        if (s, c, a, b) not in have
    ]
    with transaction.atomic():
        Segment.objects.bulk_create(new)
        audit_record(
            action="workbench.consensus_agreed_copied",
            actor=actor,
            target=coding_round,
            count=len(new),
        )
    return len(new)


# --- Memos -----------------------------------------------------------


def memo_save(
    *,
    program: Program,
    author: User | None,
    title: str,
    text: str,
    code: Code | None = None,
    source: Source | None = None,
    segment: Segment | None = None,
    memo: Memo | None = None,
) -> Memo:
    """Write a memo on a code, an answer, a coded passage or (none given) the whole project,
    signed by the writer's coder identity."""
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise WorkbenchError("A memo needs a title and some text.")
    if segment is not None:
        source = segment.source
    for thing in (code, source):
        if thing is not None and thing.program_id != program.pk:
            raise WorkbenchError("The memo's subject belongs to another program.")
    with transaction.atomic():
        if memo is None:
            # The memo is signed by the writer's coder identity, as REFI-QDA notes are by users.
            writer = coder_for(program=program, user=author) if author is not None else None
            memo = Memo(program=program, author=writer)
        memo.title, memo.text = title[:200], text
        memo.code, memo.source, memo.segment = code, source, segment
        memo.save()
        audit_record(action="workbench.memo_saved", actor=author, target=memo)
    return memo
