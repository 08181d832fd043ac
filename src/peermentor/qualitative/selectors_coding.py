"""Reads of the workbench for coding: what a coder may see, the codebook tree, answers with their
coded passages, agreement of a round and its disagreements.

Visibility of coding: in an open **blind** round a coder sees only their own passages of that
round; once the round closes (or in a round that is not blind) the team sees everyone's. Every
function makes a fixed number of queries whatever the amount of coding.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.programs.models import Invitation, Program, ProgramRole
from peermentor.qualitative import agreement_profiles
from peermentor.qualitative.agreement import LEVELS, AgreementError, interpret
from peermentor.qualitative.highlight import Piece, pieces
from peermentor.qualitative.models import Code, Coder, CodingRound, Memo, Segment, Source
from peermentor.qualitative.refi_model import COLOR_RE
from peermentor.surveys.models import Answer, Question, Wave

# --- Visibility ------------------------------------------------------------------------------


def hidden_rounds_q(coder: Coder | None) -> Q:
    """Segments another coder made in an open blind round: hidden from ``coder``."""
    hidden = Q(round__status=CodingRound.Status.OPEN, round__blind=True)
    if coder is not None:
        hidden &= ~Q(coder=coder)
    return hidden


def visible_segments(
    *, program: Program, coder: Coder | None, coding_round: CodingRound | None = None
) -> QuerySet[Segment]:
    """The program's coded passages this coder may see (of one round, when given)."""
    segments = Segment.objects.filter(source__program=program)
    if coding_round is not None:
        segments = segments.filter(round=coding_round)
    return segments.exclude(hidden_rounds_q(coder)).select_related("code", "coder")


# --- Codebook --------------------------------------------------------------------------------


@dataclass
class CodeNode:
    """A code in the tree, with its depth and how much it is used."""

    code: Code
    depth: int
    segments: int
    memos: int
    has_children: bool


def code_tree(*, program: Program) -> list[CodeNode]:
    """Every code of the program, parents before their children, with usage counts."""
    codes = list(
        Code.objects.filter(program=program).annotate(
            segment_count=Count("segments", distinct=True), memo_count=Count("memos", distinct=True)
        )
    )
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    tree: list[CodeNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for code in children.get(parent, []):
            tree.append(
                CodeNode(code, depth, code.segment_count, code.memo_count, code.pk in children)
            )
            walk(code.pk, depth + 1)

    walk(None, 0)
    return tree


def codable_codes(*, program: Program) -> list[Code]:
    """Codes that can be applied, in tree order."""
    return [node.code for node in code_tree(program=program) if node.code.is_codable]


# --- Home and team ---------------------------------------------------------------------------


@dataclass
class WaveToBringIn:
    """A wave with its open-text answers and how many are in the workbench."""

    wave: Wave
    answers: int
    brought_in: int

    @property
    def waiting(self) -> int:
        """Answers not yet brought in."""
        return self.answers - self.brought_in


def waves_to_bring_in(*, program: Program) -> list[WaveToBringIn]:
    """Every wave of the program with its non-empty open-text answer counts."""
    counts = {
        row["response__wave"]: row
        for row in Answer.objects.filter(
            response__wave__program=program, question__type=Question.Type.OPEN_TEXT
        )
        .exclude(text="")
        .values("response__wave")
        .annotate(total=Count("id"), brought=Count("coding_source"))
    }
    waves = Wave.objects.filter(program=program).order_by("-opens_on", "-id")
    return [
        WaveToBringIn(
            wave,
            counts.get(wave.pk, {}).get("total", 0),
            counts.get(wave.pk, {}).get("brought", 0),
        )
        for wave in waves
    ]


def workbench_counts(*, program: Program) -> dict[str, int]:
    """How many answers, codes, coded passages, rounds and memos the workbench holds."""
    return {
        "sources": Source.objects.filter(program=program).count(),
        "codes": Code.objects.filter(program=program).count(),
        "segments": Segment.objects.filter(source__program=program).count(),
        "rounds": CodingRound.objects.filter(program=program).count(),
        "memos": Memo.objects.filter(program=program).count(),
    }


def team_evaluators(*, program: Program) -> list[User]:
    """The evaluators of a program, by name."""
    return list(
        User.objects.filter(
            program_roles__program=program, program_roles__role=ProgramRole.Role.EVALUATOR
        ).order_by("name", "email")
    )


def open_evaluator_invitations(*, program: Program) -> list[Invitation]:
    """Invitations to evaluate the program that are still waiting for an answer."""
    return list(
        Invitation.objects.filter(
            program=program,
            role=ProgramRole.Role.EVALUATOR,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("email")
    )


# --- Sources and their coding ----------------------------------------------------------------


def sources_filtered(
    *,
    program: Program,
    wave: int | None = None,
    question: int | None = None,
    group: int | None = None,
    respondent: str = "",
) -> QuerySet[Source]:
    """The program's answers, narrowed by wave, question, group or respondent code."""
    sources = Source.objects.filter(program=program).select_related("wave", "question", "group")
    if wave:
        sources = sources.filter(wave_id=wave)
    if question:
        sources = sources.filter(question_id=question)
    if group:
        sources = sources.filter(group_id=group)
    if respondent:
        sources = sources.filter(respondent__iexact=respondent.strip())
    return sources.order_by("wave_id", "question_id", "respondent", "pk")


@dataclass
class MarkedPiece:
    """A piece of an answer's text and the coded passages covering it."""

    piece: Piece
    segments: list[Segment]

    @property
    def first_code(self) -> Code | None:
        """The code that colours this piece."""
        return self.segments[0].code if self.segments else None

    @property
    def label(self) -> str:
        """Every code covering the piece, in words."""
        return "; ".join(dict.fromkeys(s.code.name for s in self.segments))


@dataclass
class CodedSource:
    """An answer as the coding page shows it."""

    source: Source
    pieces: list[MarkedPiece]
    segments: list[Segment]
    memos: list[Memo]
    length: int


def coded_sources(
    *,
    sources: Iterable[Source],
    coder: Coder | None,
    coding_round: CodingRound | None = None,
) -> list[CodedSource]:
    """Answers with the passages the coder may see cut into overlapping pieces, and memos."""
    sources = list(sources)
    ids = [s.pk for s in sources]
    segments: QuerySet[Segment] = (
        Segment.objects.filter(source_id__in=ids)
        .exclude(hidden_rounds_q(coder))
        .select_related("code", "coder", "round")
        .prefetch_related(Prefetch("memos", queryset=Memo.objects.select_related("author")))
        .order_by("source_id", "start", "-end", "pk")
    )
    if coding_round is not None:
        segments = segments.filter(round=coding_round)
    by_source: dict[int, list[Segment]] = defaultdict(list)
    for segment in segments:
        by_source[segment.source_id].append(segment)
        segment.removable = (
            coder is not None
            and segment.coder_id == coder.pk
            and (  # type: ignore[attr-defined]
                segment.round is None or segment.round.is_open
            )
        )
    memos: dict[int, list[Memo]] = defaultdict(list)
    for memo in Memo.objects.filter(source_id__in=ids, segment__isnull=True).select_related(
        "author"
    ):
        memos[memo.source_id].append(memo)
    result = []
    for source in sources:
        mine = by_source[source.pk]
        index = {s.pk: s for s in mine}
        for s in mine:
            s.quote = source.text[s.start : s.end]  # type: ignore[attr-defined]
        cut = pieces(source.text, [(s.start, s.end, s.pk) for s in mine])
        marked = [MarkedPiece(p, [index[k] for k in p.keys]) for p in cut]
        result.append(CodedSource(source, marked, mine, memos[source.pk], len(source.text)))
    return result


def filter_choices(*, program: Program) -> dict[str, list[tuple[Any, str]]]:
    """The waves, questions and groups the program's answers come from, for the filters."""
    rows = Source.objects.filter(program=program).values_list(
        "wave_id", "wave__title", "question_id", "question__label", "group_id", "group__name"
    )
    waves: dict[Any, str] = {}
    questions: dict[Any, str] = {}
    groups: dict[Any, str] = {}
    for wave_id, wave_title, question_id, label, group_id, group_name in rows.distinct():
        if wave_id:
            waves[wave_id] = wave_title
        if question_id:
            questions[question_id] = label
        if group_id:
            groups[group_id] = group_name
    return {
        "waves": sorted(waves.items(), key=lambda item: item[1]),
        "questions": sorted(questions.items(), key=lambda item: item[1]),
        "groups": sorted(groups.items(), key=lambda item: item[1]),
    }


# --- Rounds ----------------------------------------------------------------------------------


@dataclass
class RoundProgress:
    """A coder of a round and how many passages they coded in it."""

    coder: Coder
    segments: int


def round_progress(*, coding_round: CodingRound) -> list[RoundProgress]:
    """Each coder of the round with their number of coded passages in it."""
    counts = Counter(Segment.objects.filter(round=coding_round).values_list("coder_id", flat=True))
    return [RoundProgress(c, counts.get(c.pk, 0)) for c in coding_round.coders.all()]


def _round_rows(
    coding_round: CodingRound,
) -> tuple[list[Coder], list[tuple[int, int, int, int, int]]]:
    coders = list(coding_round.coders.exclude(kind=Coder.Kind.CONSENSUS).order_by("pk"))
    rows = list(
        Segment.objects.filter(round=coding_round, coder__in=coders).values_list(
            "source_id", "code_id", "coder_id", "start", "end"
        )
    )
    return coders, rows


@dataclass
class Figure:
    """One coefficient with its interpretation band."""

    key: str
    label: str
    value: float | None
    band: str


@dataclass
class AgreementRow:
    """Agreement for one code, or pooled over every code (code None)."""

    code: Code | None
    units: int
    figures: list[Figure]

    @property
    def name(self) -> str:
        """The code's name, or "All codes" for the pooled row."""
        return self.code.name if self.code else "All codes (pooled)"


@dataclass
class RoundAgreement:
    """Agreement of a round's coders, per code and pooled."""

    unit: str
    level: str
    coders: list[Coder]
    sources: int
    rows: list[AgreementRow] = field(default_factory=list)

    @property
    def pooled(self) -> AgreementRow | None:
        """The pooled row (the last one), if any."""
        return self.rows[-1] if self.rows else None


FIGURES: tuple[tuple[str, str, str | None], ...] = (
    ("percent_agreement", "Percent agreement", None),
    ("cohen_kappa", "Cohen's κ", "landis_koch"),
    ("scott_pi", "Scott's π", "landis_koch"),
    ("fleiss_kappa", "Fleiss' κ", "landis_koch"),
    ("krippendorff_alpha", "Krippendorff's α", "krippendorff"),
    ("gwet_ac1", "Gwet's AC1", "landis_koch"),
)


def _figures(result: dict[str, int | float | None]) -> list[Figure]:
    figures = []
    for key, label, scale in FIGURES:
        value = result[key]
        number = None if value is None else float(value)
        if scale is None:
            band = "—" if number is None else "not corrected for chance"
        else:
            band = interpret(number, scale)  # type: ignore[arg-type]
        figures.append(Figure(key, label, number, band))
    return figures


def _answer_profiles(
    coder_ids: list[int], applied: dict[int, dict[int, set[int]]], sources: list[int], code: int
) -> Counter[tuple[int, ...]]:
    return Counter(
        tuple(int(code in applied[source].get(c, set())) for c in coder_ids) for source in sources
    )


def _character_profiles(
    coder_ids: list[int],
    spans: dict[tuple[int, int], dict[int, list[tuple[int, int]]]],
    lengths: dict[int, int],
    code: int,
) -> Counter[tuple[int, ...]]:
    profiles: Counter[tuple[int, ...]] = Counter()
    for source, length in lengths.items():
        by_coder = spans.get((source, code))
        if not by_coder:
            profiles[(0,) * len(coder_ids)] += length
            continue
        marks = []
        for c in coder_ids:
            covered = bytearray(length)
            for start, end in by_coder.get(c, []):
                covered[start:end] = b"\x01" * (min(end, length) - start)
            marks.append(covered)
        profiles.update(zip(*marks, strict=True))
    return profiles


def round_agreement(
    *, coding_round: CodingRound, unit: str = "answer", level: str = "nominal"
) -> RoundAgreement:
    """Agreement of the round's coders per code and pooled, over the answers any of them coded.

    ``unit="answer"``: for each answer and code, whether each coder applied the code;
    ``unit="character"``: for each character of each answer, whether each coder's passages with
    the code cover it (NVivo's convention). A coder who coded nothing in an answer counts as
    "absent" there. Presence/absence has two values, so alpha is the same at every level.
    """
    if unit not in ("answer", "character"):
        raise AgreementError(f"Unknown unit {unit!r}: use answer or character.")
    if level not in LEVELS:
        raise AgreementError(f"Unknown level {level!r}: use one of {', '.join(LEVELS)}.")
    coders, rows = _round_rows(coding_round)
    coder_ids = [c.pk for c in coders]
    applied: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    spans: dict[tuple[int, int], dict[int, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for source, code, coder, start, end in rows:
        applied[source][coder].add(code)
        spans[source, code][coder].append((start, end))
    sources = sorted(applied)
    codes = list(Code.objects.filter(pk__in={r[1] for r in rows}).order_by("position", "name"))
    lengths: dict[int, int] = {}
    if unit == "character":
        lengths = {
            pk: len(text)
            for pk, text in Source.objects.filter(pk__in=sources).values_list("pk", "text")
        }
    result = RoundAgreement(unit, level, coders, len(sources))
    pooled: Counter[tuple[int, ...]] = Counter()
    for code in codes:
        if unit == "answer":
            profiles = _answer_profiles(coder_ids, applied, sources, code.pk)
        else:
            profiles = _character_profiles(coder_ids, spans, lengths, code.pk)
        pooled.update(profiles)
        summary = agreement_profiles.summary(profiles)
        result.rows.append(AgreementRow(code, int(summary["units"] or 0), _figures(summary)))
    if codes:
        summary = agreement_profiles.summary(pooled)
        result.rows.append(AgreementRow(None, int(summary["units"] or 0), _figures(summary)))
    return result


@dataclass
class Passage:
    """One passage of a disagreement: who coded it, and whether the consensus keeps it."""

    start: int
    end: int
    text: str
    coders: list[Coder]
    in_consensus: bool


@dataclass
class Disagreement:
    """An answer and a code on which the round's coders differ."""

    source: Source
    code: Code
    by_coder: list[tuple[Coder, list[Passage]]]
    passages: list[Passage]


def disagreements(*, coding_round: CodingRound) -> list[Disagreement]:
    """Each answer and code where the round's coders did not code the same passages."""
    coders, rows = _round_rows(coding_round)
    by_pair: dict[tuple[int, int], dict[tuple[int, int], set[int]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for source, code, coder, start, end in rows:
        by_pair[source, code][start, end].add(coder)
    everyone = {c.pk for c in coders}
    differing = {
        pair: passages
        for pair, passages in by_pair.items()
        if any(who != everyone for who in passages.values())
    }
    sources = Source.objects.in_bulk({s for s, _ in differing})
    codes = Code.objects.in_bulk({c for _, c in differing})
    kept = set(
        Segment.objects.filter(
            source_id__in=sources,
            coder__kind=Coder.Kind.CONSENSUS,
            source__program=coding_round.program,
        ).values_list("source_id", "code_id", "start", "end")
    )
    found = []
    for (source_id, code_id), passages in sorted(differing.items()):
        source, code = sources[source_id], codes[code_id]
        listed = [
            Passage(
                start,
                end,
                source.text[start:end],
                [c for c in coders if c.pk in who],
                (source_id, code_id, start, end) in kept,
            )
            for (start, end), who in sorted(passages.items())
        ]
        by_coder = [(c, [p for p in listed if c in p.coders]) for c in coders]
        found.append(Disagreement(source, code, by_coder, listed))
    return found


def memos_of(*, program: Program) -> list[Memo]:
    """Every memo of the program, newest first, with what it is about."""
    return list(
        Memo.objects.filter(program=program).select_related("author", "code", "source", "segment")
    )


def code_stylesheet(*, program: Program) -> str:
    """Each code's colour as a CSS custom property (the security policy forbids inline styles);
    a stored value that is not a colour is left out rather than written into the stylesheet."""
    rules = [
        f".code-{pk} {{ --code-colour: {colour}; }}"
        for pk, colour in Code.objects.filter(program=program).values_list("pk", "color")
        if COLOR_RE.fullmatch(colour)
    ]
    return "\n".join(rules) + "\n"
