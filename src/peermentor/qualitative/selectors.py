"""Reads of the qualitative workbench.

``report_findings`` is what the program evaluation report takes from the workbench: themes with
the number of respondents whose answers carry one of their codes, and the quotes an evaluator has
published — never an unpublished quote, never a name (sources are pseudonymised when brought in).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from peermentor.programs.models import Program
from peermentor.qualitative.models import (
    Coder,
    CodingRound,
    Exemplar,
    KeywordRule,
    Segment,
    Theme,
)


@dataclass
class ThemeFinding:
    """A theme as the report shows it."""

    name: str
    description: str
    polarity: str
    code_names: list[str]
    respondents: int
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (respondent code, quote)


@dataclass
class Findings:
    """Themes by polarity and how the coding was done, for the report's methods and results."""

    benefits: list[ThemeFinding]
    undesirable: list[ThemeFinding]
    other: list[ThemeFinding]
    coders: list[str]
    rounds: int
    sources: int


def _respondents_by_code(program: Program, since: dt.date | None, until: dt.date | None) -> dict:
    """Respondents whose answers carry each code, counting settled coding only: not the work
    of a round that is still open (a blind round's coding is not yet agreed on)."""
    segments = Segment.objects.filter(source__program=program).exclude(
        round__status=CodingRound.Status.OPEN
    )
    if since is not None:
        segments = segments.filter(source__wave__closes_on__gte=since)
    if until is not None:
        segments = segments.filter(source__wave__opens_on__lte=until)
    respondents: dict[int, set[tuple[object, object]]] = defaultdict(set)
    for code_id, source_id, wave_id, respondent in segments.values_list(
        "code_id", "source_id", "source__wave_id", "source__respondent"
    ).distinct():
        # A respondent code is unique within a wave; sources without one count on their own.
        respondents[code_id].add((wave_id, respondent) if respondent else ("source", source_id))
    return respondents


def report_findings(
    *, program: Program, since: dt.date | None = None, until: dt.date | None = None
) -> Findings:
    """Themes of the program with respondent counts and published quotes (constant queries)."""
    by_code = _respondents_by_code(program, since, until)
    themes = Theme.objects.filter(program=program).prefetch_related(
        "codes",
        Prefetch("exemplars", queryset=Exemplar.objects.filter(published=True)),
    )
    findings: dict[str, list[ThemeFinding]] = defaultdict(list)
    for theme in themes:
        codes = list(theme.codes.all())
        respondents: set[tuple[object, object]] = set()
        for code in codes:
            respondents |= by_code.get(code.pk, set())
        findings[theme.polarity].append(
            ThemeFinding(
                name=theme.name,
                description=theme.description,
                polarity=theme.polarity,
                code_names=[code.name for code in codes],
                respondents=len(respondents),
                quotes=[(e.respondent, e.quote) for e in theme.exemplars.all()],
            )
        )
    coders = list(
        Coder.objects.filter(program=program, segments__isnull=False)
        .distinct()
        .values_list("name", flat=True)
    )
    return Findings(
        benefits=findings["benefit"],
        undesirable=findings["undesirable"],
        other=findings["neutral"],
        coders=coders,
        rounds=CodingRound.objects.filter(program=program).count(),
        sources=program.coding_sources.count(),
    )


# --- analysis (7B) ---------------------------------------------------------------------------
# Reads of the analysis pages, themes and assisted coding. Every function runs a fixed number of
# queries whatever the amount of coding, and never returns a member's name: sources are
# pseudonymised, and a group is named only while it has five members or more.

from typing import Any  # noqa: E402

from django.db.models import Count, Max, Q, QuerySet  # noqa: E402

from peermentor.programs.models import Group  # noqa: E402
from peermentor.qualitative.agreement import (  # noqa: E402
    answer_units,
    cohen_kappa,
    interpret,
    percent_agreement,
)
from peermentor.qualitative.assist import evaluate_heldout  # noqa: E402
from peermentor.qualitative.models import Code, Source, Suggestion  # noqa: E402
from peermentor.surveys.models import Question, Wave  # noqa: E402
from peermentor.surveys.pseudonymise import group_label  # noqa: E402

ALL_CODERS = "all"
CONSENSUS = "consensus"
HUMAN = "human"
NO_VALUE = "—"
SMALL_GROUPS = "Smaller groups (fewer than 5 members)"
NO_GROUP = "No group"
HUMAN_KINDS = (Coder.Kind.PERSON, Coder.Kind.IMPORTED, Coder.Kind.CONSENSUS)


@dataclass(frozen=True)
class CodeLabel:
    """A code with its place in the codebook, written out as "Parent › Child"."""

    pk: int
    name: str
    path: str
    polarity: str
    color: str


@dataclass
class CodeCount:
    """How often one code was applied: passages, answers and respondents."""

    code: CodeLabel
    segments: int = 0
    answers: int = 0
    respondents: int = 0


@dataclass
class Frequencies:
    """Code counts overall, then for each question, wave or group."""

    by: str
    overall: list[CodeCount]
    sections: list[tuple[str, list[CodeCount]]]


@dataclass
class Matrix:
    """Rows of codes against columns (codes or groups), with a count in each cell."""

    rows: list[CodeLabel]
    columns: list[str]
    cells: list[list[int]]
    column_totals: list[int] = field(default_factory=list)


def _settled() -> Q:
    """Segments outside open blind rounds: coding the whole team may see."""
    return (
        Q(round__isnull=True) | Q(round__blind=False) | Q(round__status=CodingRound.Status.CLOSED)
    )


def analysed_segments(*, program: Program, viewer: Any, coder: str = ALL_CODERS) -> QuerySet:
    """The segments an analysis counts: one coder's, the consensus or all, never another
    coder's work in a blind round that is still open."""
    segments = Segment.objects.filter(source__program=program).filter(
        _settled() | Q(coder__user_id=getattr(viewer, "pk", None))
    )
    if coder == CONSENSUS:
        return segments.filter(coder__kind=Coder.Kind.CONSENSUS)
    if coder == HUMAN:
        return segments.filter(coder__kind__in=HUMAN_KINDS)
    if coder != ALL_CODERS:
        return segments.filter(coder_id=int(coder))
    return segments


def analysis_coder_choices(*, program: Program) -> list[tuple[str, str]]:
    """The coder filter: everyone, the consensus, or one coder (the assistant too)."""
    choices = [(ALL_CODERS, "All coders"), (CONSENSUS, "Consensus")]
    for coder in Coder.objects.filter(program=program).exclude(kind=Coder.Kind.CONSENSUS):
        choices.append((str(coder.pk), f"{coder.name} ({coder.get_kind_display().lower()})"))
    return choices


def code_labels(*, program: Program) -> list[CodeLabel]:
    """The program's codes in codebook order, parents before their children."""
    codes = list(Code.objects.filter(program=program))
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    labels: list[CodeLabel] = []

    def walk(parent: int | None, prefix: str) -> None:
        for code in children.get(parent, []):
            path = f"{prefix}{code.name}"
            labels.append(CodeLabel(code.pk, code.name, path, code.polarity, code.color))
            walk(code.pk, f"{path} › ")

    walk(None, "")
    return labels


def _respondent_key(source_id: int, wave_id: int | None, respondent: str) -> tuple:
    # A respondent code (R01) is unique within a wave only; a source without one counts alone.
    return (wave_id, respondent) if respondent else ("source", source_id)


def _group_names(program: Program) -> dict[int, str]:
    groups = Group.objects.filter(program=program).annotate(
        current=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )
    return {
        g.pk: g.name if group_label(g.name, g.current) == g.name else SMALL_GROUPS for g in groups
    }


def _dimension_names(program: Program, by: str) -> dict[int | None, str]:
    if by == "group":
        names: dict[int | None, str] = dict(_group_names(program))
        names[None] = NO_GROUP
        return names
    if by == "wave":
        waves = Wave.objects.filter(program=program).order_by("opens_on", "pk")
        waves = waves.values_list("pk", "title")
        return {**dict(waves), None: "No wave"}
    questions = Question.objects.filter(instrument__program=program).values_list("pk", "label")
    return {**dict(questions), None: "No question"}


def _count(rows: list[tuple], labels: list[CodeLabel]) -> list[CodeCount]:
    """Counts per code from (code, source, wave, respondent) rows."""
    segments: dict[int, int] = defaultdict(int)
    answers: dict[int, set[int]] = defaultdict(set)
    people: dict[int, set[tuple]] = defaultdict(set)
    for code_id, source_id, wave_id, respondent in rows:
        segments[code_id] += 1
        answers[code_id].add(source_id)
        people[code_id].add(_respondent_key(source_id, wave_id, respondent))
    return [
        CodeCount(label, segments[label.pk], len(answers[label.pk]), len(people[label.pk]))
        for label in labels
    ]


def code_frequencies(
    *, program: Program, viewer: Any, coder: str = ALL_CODERS, by: str = "question"
) -> Frequencies:
    """Passages, answers and respondents per code, overall and per question, wave or group."""
    if by not in ("question", "wave", "group"):
        raise ValueError(f"Unknown dimension {by!r}.")
    labels = code_labels(program=program)
    column = {"question": "source__question_id", "wave": "source__wave_id"}.get(
        by, "source__group_id"
    )
    rows = list(
        analysed_segments(program=program, viewer=viewer, coder=coder).values_list(
            "code_id", "source_id", "source__wave_id", "source__respondent", column
        )
    )
    names = _dimension_names(program, by)
    split: dict[str, list[tuple]] = defaultdict(list)
    for code_id, source_id, wave_id, respondent, value in rows:
        split[names.get(value, NO_VALUE)].append((code_id, source_id, wave_id, respondent))
    order = list(dict.fromkeys(names.values()))
    sections = [
        (name, [c for c in _count(split[name], labels) if c.segments])
        for name in order
        if name in split
    ]
    overall = _count([row[:4] for row in rows], labels)
    return Frequencies(by=by, overall=overall, sections=sections)


def _codes_by_source(rows: list[tuple]) -> dict[int, list[tuple[int, int, int]]]:
    by_source: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for source_id, code_id, start, end in rows:
        by_source[source_id].append((code_id, start, end))
    return by_source


def _overlapping_pairs(spans: list[tuple[int, int, int]]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for index, (code_a, start_a, end_a) in enumerate(spans):
        for code_b, start_b, end_b in spans[index + 1 :]:
            if code_a != code_b and start_a < end_b and start_b < end_a:
                pairs.add((code_a, code_b))
                pairs.add((code_b, code_a))
    return pairs


def code_cooccurrence(
    *, program: Program, viewer: Any, coder: str = ALL_CODERS, unit: str = "answer"
) -> Matrix:
    """Answers on which two codes are both applied (``unit="answer"``) or on which passages of
    the two codes overlap (``unit="overlap"``); the diagonal counts answers with the code."""
    if unit not in ("answer", "overlap"):
        raise ValueError(f"Unknown unit {unit!r}.")
    rows = analysed_segments(program=program, viewer=viewer, coder=coder).values_list(
        "source_id", "code_id", "start", "end"
    )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for spans in _codes_by_source(list(rows)).values():
        codes = {code for code, _, _ in spans}
        for code in codes:
            counts[(code, code)] += 1
        if unit == "answer":
            pairs = {(a, b) for a in codes for b in codes if a != b}
        else:
            pairs = _overlapping_pairs(spans)
        for pair in pairs:
            counts[pair] += 1
    labels = [label for label in code_labels(program=program) if counts[(label.pk, label.pk)]]
    cells = [[counts[(row.pk, col.pk)] for col in labels] for row in labels]
    return Matrix(rows=labels, columns=[label.path for label in labels], cells=cells)


def code_group_matrix(*, program: Program, viewer: Any, coder: str = ALL_CODERS) -> Matrix:
    """Answers carrying each code in each group; groups under five members are merged."""
    names = _group_names(program)
    rows = analysed_segments(program=program, viewer=viewer, coder=coder).values_list(
        "code_id", "source_id", "source__group_id"
    )
    answers: dict[tuple[int, str], set[int]] = defaultdict(set)
    for code_id, source_id, group_id in rows:
        answers[(code_id, names.get(group_id, NO_GROUP))].add(source_id)
    totals: dict[str, int] = defaultdict(int)
    sources = Source.objects.filter(program=program).values_list("group_id")
    for (group_id,) in sources:
        totals[names.get(group_id, NO_GROUP)] += 1
    named = sorted({n for n in names.values() if n != SMALL_GROUPS})
    columns = [n for n in [*named, SMALL_GROUPS, NO_GROUP] if totals[n] or n in named]
    labels = code_labels(program=program)
    cells = [[len(answers[(label.pk, column)]) for column in columns] for label in labels]
    return Matrix(labels, columns, cells, [totals[column] for column in columns])


# Themes and exemplars.


def themes_overview(*, program: Program) -> list[Theme]:
    """The program's themes in order, with their codes and every exemplar (published or not)."""
    return list(
        Theme.objects.filter(program=program).prefetch_related(
            "codes",
            Prefetch("exemplars", queryset=Exemplar.objects.order_by("created_at")),
        )
    )


def keyword_rules(*, program: Program) -> QuerySet[KeywordRule]:
    """The program's keyword rules with the code each one suggests."""
    return KeywordRule.objects.filter(program=program).select_related("code")


MAX_CANDIDATES = 200


def exemplar_candidates(*, theme: Theme, viewer: Any) -> list[Segment]:
    """Coded passages of the theme's codes that may become exemplars, each passage once."""
    chosen = theme.exemplars.filter(segment__isnull=False).values("segment_id")
    segments = (
        analysed_segments(program=theme.program, viewer=viewer)
        .filter(code__themes=theme)
        .exclude(pk__in=chosen)
        .select_related("source", "code", "coder")
        .order_by("source__respondent", "source_id", "start", "pk")
    )
    seen: set[tuple[int, int, int]] = set()
    unique: list[Segment] = []
    for segment in segments[: MAX_CANDIDATES * 3]:
        key = (segment.source_id, segment.start, segment.end)
        if key not in seen:
            seen.add(key)
            segment.quote = segment.source.text[segment.start : segment.end]
            unique.append(segment)
    return unique[:MAX_CANDIDATES]


# Assisted coding.


def training_examples(*, program: Program) -> list[tuple[int, str, frozenset[str]]]:
    """Answers the team has coded, as (source, text, code ids as text): the coding of people,
    imported coders and the consensus, settled rounds only, never the assistant's."""
    rows = (
        Segment.objects.filter(source__program=program, coder__kind__in=HUMAN_KINDS)
        .filter(_settled())
        .values_list("source_id", "source__text", "code_id")
    )
    texts: dict[int, str] = {}
    codes: dict[int, set[str]] = defaultdict(set)
    for source_id, text, code_id in rows:
        texts[source_id] = text
        codes[source_id].add(str(code_id))
    return [(pk, texts[pk], frozenset(codes[pk])) for pk in sorted(texts)]


def uncoded_sources(*, program: Program) -> list[tuple[int, str]]:
    """Answers with text that no person, imported coder or consensus has coded yet."""
    coded = Segment.objects.filter(source__program=program, coder__kind__in=HUMAN_KINDS).values(
        "source_id"
    )
    return list(
        Source.objects.filter(program=program)
        .exclude(text="")
        .exclude(pk__in=coded)
        .order_by("pk")
        .values_list("pk", "text")
    )


@dataclass
class SuggestedSource:
    """An answer and the pending suggestions for it, best first."""

    source: Source
    suggestions: list[Suggestion]


MAX_SUGGESTED_SOURCES = 50


def pending_suggestions(*, program: Program) -> tuple[list[SuggestedSource], int]:
    """Up to 50 answers with their pending suggestions, most confident first, and the total."""
    pending = Suggestion.objects.filter(source__program=program, status=Suggestion.Status.PENDING)
    total = pending.count()
    best = (
        pending.values("source_id")
        .annotate(best=Max("confidence"))
        .order_by("-best", "source_id")[:MAX_SUGGESTED_SOURCES]
    )
    order = {row["source_id"]: index for index, row in enumerate(best)}
    chosen = pending.filter(source_id__in=list(order)).select_related("source", "code")
    by_source: dict[int, SuggestedSource] = {}
    for suggestion in chosen.order_by("-confidence", "pk"):
        entry = by_source.setdefault(suggestion.source_id, SuggestedSource(suggestion.source, []))
        entry.suggestions.append(suggestion)
    return sorted(by_source.values(), key=lambda e: order[e.source.pk]), total


def suggestion_counts(*, program: Program) -> dict[str, int]:
    """How many suggestions are pending, accepted and rejected."""
    counts = dict(
        Suggestion.objects.filter(source__program=program)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Suggestion.Status.values}


def assistant_reference_choices(*, program: Program) -> list[tuple[str, str]]:
    """Whom the assistant is compared with: all human coding, the consensus, or one coder."""
    choices = [(HUMAN, "All human coders and the consensus"), (CONSENSUS, "Consensus")]
    people = Coder.objects.filter(
        program=program, kind__in=[Coder.Kind.PERSON, Coder.Kind.IMPORTED]
    )
    return choices + [(str(coder.pk), coder.name) for coder in people]


def assistant_codings(*, program: Program, reference: str) -> dict[int, dict[str, set[int]]]:
    """Per answer coded by both the assistant and the reference: the codes each applied."""
    assistant = Segment.objects.filter(source__program=program, coder__kind=Coder.Kind.ASSISTANT)
    others = Segment.objects.filter(source__program=program).filter(_settled())
    if reference == CONSENSUS:
        others = others.filter(coder__kind=Coder.Kind.CONSENSUS)
    elif reference == HUMAN:
        others = others.filter(coder__kind__in=HUMAN_KINDS)
    else:
        others = others.filter(coder_id=int(reference)).exclude(coder__kind=Coder.Kind.ASSISTANT)
    codings: dict[int, dict[str, set[int]]] = defaultdict(
        lambda: {"assistant": set(), "human": set()}
    )
    for who, segments in (("assistant", assistant), ("human", others)):
        for source_id, code_id in segments.values_list("source_id", "code_id"):
            codings[source_id][who].add(code_id)
    return {
        source: coded for source, coded in codings.items() if coded["assistant"] and coded["human"]
    }


@dataclass
class AgreementRow:
    """Agreement of the assistant with the reference on one code (or pooled over codes)."""

    label: str
    units: int
    both: int
    assistant_only: int
    reference_only: int
    percent: float | None
    kappa: float | None
    band: str


def _agreement_row(label: str, data: dict) -> AgreementRow:
    values = [(by["assistant"], by["human"]) for by in data.values()]
    kappa = cohen_kappa(data) if data else None
    return AgreementRow(
        label=label,
        units=len(values),
        both=sum(a and h for a, h in values),
        assistant_only=sum(a and not h for a, h in values),
        reference_only=sum(h and not a for a, h in values),
        percent=percent_agreement(data) if data else None,
        kappa=kappa,
        band=interpret(kappa),
    )


def assistant_agreement(
    *, program: Program, reference: str = HUMAN
) -> tuple[int, list[AgreementRow], AgreementRow | None]:
    """The assistant against human coding on answers both coded (unit: answer, code present
    or absent): the number of answers, a row per code either applied, and the pooled row."""
    codings = assistant_codings(program=program, reference=reference)
    used = {code for coded in codings.values() for codes in coded.values() for code in codes}
    rows: list[AgreementRow] = []
    pooled: dict[tuple[int, int], dict[str, int]] = {}
    for label in code_labels(program=program):
        if label.pk not in used:
            continue
        data = answer_units(codings, label.pk)
        rows.append(_agreement_row(label.path, data))
        pooled.update({(source, label.pk): by for source, by in data.items()})
    total = _agreement_row("All codes (pooled)", pooled) if pooled else None
    return len(codings), rows, total


def heldout_agreement(*, program: Program, seed: int = 0) -> dict[str, Any] | None:
    """Train on 80 % of the team's coded answers and compare with their coding of the rest
    (``assist.evaluate_heldout``), with code names; None when too few answers are coded."""
    examples = [(text, codes) for _, text, codes in training_examples(program=program)]
    try:
        report = evaluate_heldout(examples, seed=seed)
    except ValueError:
        return None
    names = {str(label.pk): label.path for label in code_labels(program=program)}
    report["codes"] = {names.get(code, code): row for code, row in report["codes"].items()}
    report["not_suggested"] = {
        names.get(code, code): why for code, why in report["not_suggested"].items()
    }
    for row in report["codes"].values():
        row["band"] = interpret(row["kappa"])
    report["mean_kappa_band"] = interpret(report["mean_kappa"])
    return report


def training_counts(*, program: Program) -> tuple[int, list[tuple[CodeLabel, int]]]:
    """How many coded answers the assistant learns from, in all and per code."""
    rows = (
        Segment.objects.filter(source__program=program, coder__kind__in=HUMAN_KINDS)
        .filter(_settled())
        .order_by()  # the default ordering would join the DISTINCT
        .values_list("source_id", "code_id")
        .distinct()
    )
    sources: set[int] = set()
    per_code: dict[int, int] = defaultdict(int)
    for source_id, code_id in rows:
        sources.add(source_id)
        per_code[code_id] += 1
    labels = code_labels(program=program)
    return len(sources), [(label, per_code[label.pk]) for label in labels]


def uncoded_count(*, program: Program) -> int:
    """How many answers with text nobody but the assistant has coded."""
    coded = Segment.objects.filter(source__program=program, coder__kind__in=HUMAN_KINDS).values(
        "source_id"
    )
    return Source.objects.filter(program=program).exclude(text="").exclude(pk__in=coded).count()


def theme_respondents(*, program: Program, viewer: Any, themes: list[Theme]) -> dict[int, int]:
    """Per theme, the respondents whose answers carry one of its codes (prefetched codes)."""
    by_code: dict[int, set[tuple]] = defaultdict(set)
    rows = analysed_segments(program=program, viewer=viewer).values_list(
        "code_id", "source_id", "source__wave_id", "source__respondent"
    )
    for code_id, source_id, wave_id, respondent in rows:
        by_code[code_id].add(_respondent_key(source_id, wave_id, respondent))
    counts: dict[int, int] = {}
    for theme in themes:
        people: set[tuple] = set()
        for code in theme.codes.all():
            people |= by_code[code.pk]
        counts[theme.pk] = len(people)
    return counts
