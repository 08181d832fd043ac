"""Reads for surveys: lists, response rates, closed-question summaries and pseudonymised answers.

Every function makes a fixed number of queries whatever the number of responses. Free text
leaves this module only through :func:`pseudonymised_answers`, masked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from peermentor.accounts.models import User
from peermentor.core import disclosure
from peermentor.programs.models import Group, Program
from peermentor.surveys.models import Answer, Instrument, Question, Response, Wave, WaveInvitee
from peermentor.surveys.pseudonymise import (
    NameMasker,
    group_label,
    name_variants,
    respondent_code,
)

SMALL_CELL = disclosure.SMALL_CELL


def latest_instruments(*, program: Program) -> list[Instrument]:
    """The newest version of each instrument of a program, with its question count."""
    instruments = program.instruments.annotate(question_count=Count("questions")).order_by(
        "name", "-version"
    )
    latest: dict[str, Instrument] = {}
    for instrument in instruments:
        latest.setdefault(instrument.name, instrument)
    return list(latest.values())


def instrument_with_questions(*, instrument: Instrument) -> list[Question]:
    """An instrument's questions in order, with their sections."""
    return list(instrument.questions.select_related("section").order_by("position", "id"))


def wave_questions(*, wave: Wave) -> QuerySet[Question]:
    """The questions a wave asks, in order: its instrument's, less the sections it leaves out."""
    return (
        wave.instrument.questions.exclude(section__in=wave.left_out_sections.all())
        .select_related("section")
        .order_by("position", "id")
    )


def waves_of_program(*, program: Program) -> QuerySet[Wave]:
    """A program's waves with their instrument, invitees and answered counts."""
    return (
        program.waves.select_related("instrument")
        .annotate(
            invited=_count_per_wave(WaveInvitee.objects.all()),
            answered=_count_per_wave(WaveInvitee.objects.filter(answered=True)),
            response_count=_count_per_wave(Response.objects.all()),
        )
        .order_by("-opens_on", "-id")
    )


def _count_per_wave(rows: QuerySet[WaveInvitee] | QuerySet[Response]) -> Coalesce:
    """How many of ``rows`` belong to the wave: a subquery each, so counts never multiply."""
    per_wave = rows.filter(wave=OuterRef("pk")).order_by().values("wave")
    return Coalesce(Subquery(per_wave.annotate(n=Count("pk")).values("n")), 0)


@dataclass
class GroupRate:
    """How many of a group's invitees answered."""

    name: str
    invited: int
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


def response_rates(*, wave: Wave) -> list[GroupRate]:
    """Invited and answered per group of a wave (counts only: nobody is named)."""
    rows = (
        WaveInvitee.objects.filter(wave=wave)
        .values("group__name")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered=True)))
        .order_by("group__name")
    )
    return [GroupRate(r["group__name"] or "—", r["invited"], r["answered"]) for r in rows]


@dataclass
class ChoiceCount:
    """One choice of a closed question and how many picked it (None: hidden, and why)."""

    code: str
    label: str
    count: int | None
    hidden: disclosure.Reason | None = None


@dataclass
class ClosedSummary:
    """The distribution of one closed question; ``suppressed`` when too few answered."""

    question: Question
    answered: int
    choices: list[ChoiceCount] = field(default_factory=list)
    suppressed: bool = False


def closed_summaries(*, wave: Wave) -> list[ClosedSummary]:
    """Counts per choice of each closed question; counts under five are suppressed."""
    questions = [q for q in wave_questions(wave=wave) if q.is_closed]
    picked: dict[int, Counter[str]] = defaultdict(Counter)
    answered: Counter[int] = Counter()
    rows = Answer.objects.filter(response__wave=wave, question__in=questions)
    for question_id, choices in rows.values_list("question_id", "choices"):
        answered[question_id] += 1
        picked[question_id].update(str(code) for code in choices)
    return [_summary(q, answered[q.pk], picked[q.pk]) for q in questions]


def _summary(question: Question, answered: int, picked: Counter[str]) -> ClosedSummary:
    if disclosure.is_small(answered):
        return ClosedSummary(question, answered, suppressed=True)
    counts = {str(code): picked.get(str(code), 0) for code, _ in question.choices}
    hidden = disclosure.hidden_cells(counts)  # the number answering is shown: complement too
    choices = [
        ChoiceCount(str(code), str(label), None, hidden[str(code)])
        if str(code) in hidden
        else ChoiceCount(str(code), str(label), counts[str(code)])
        for code, label in question.choices
    ]
    return ClosedSummary(question, answered, choices)


@dataclass
class PseudonymousAnswer:
    """One answer as an evaluator sees it."""

    code: str
    group: str
    value: str


@dataclass
class QuestionAnswers:
    """A question and its answers, pseudonymised."""

    question: Question
    answers: list[PseudonymousAnswer]


@dataclass
class PseudonymisedWave:
    """Answers of a wave by question, and the same by respondent for exports.

    ``page`` is the page of respondents shown when the answers were asked for a page at a time.
    """

    questions: list[Question]
    by_question: list[QuestionAnswers]
    rows: list[tuple[str, str, dict[int, str]]]
    page: Page[tuple[int, int | None]] | None = None


def program_member_names(*, program: Program) -> list[str]:
    """Every way of writing the names of anyone who was ever in the program's groups."""
    names = User.objects.filter(memberships__group__program=program).distinct()
    return [
        variant for name in names.values_list("name", flat=True) for variant in name_variants(name)
    ]


@lru_cache(maxsize=16)
def _masker(names: tuple[str, ...]) -> NameMasker:
    return NameMasker(names)


def program_name_masker(*, program: Program) -> NameMasker:
    """A masker for the names of the program's members, made once per list of names."""
    return _masker(tuple(program_member_names(program=program)))


def _group_labels(wave: Wave) -> dict[int, str]:
    groups = Group.objects.filter(program_id=wave.program_id).annotate(
        current=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )
    return {group.pk: group_label(group.name, group.current) for group in groups}


def _display(question: Question, answer: Answer, masker: NameMasker) -> str:
    if question.type == Question.Type.OPEN_TEXT:
        return masker.mask(answer.text)
    if question.type == Question.Type.NUMBER:
        return "" if answer.number is None else f"{answer.number:g}"
    return "; ".join(question.choice_label(str(code)) for code in answer.choices)


ANSWERS_PER_PAGE = 50


def pseudonymised_answers(
    *, wave: Wave, page_number: int | str | None = None, per_page: int | None = None
) -> PseudonymisedWave:
    """Answers with respondent codes R01…, group names only for groups of five or more, and
    members' names, e-mail addresses and phone numbers masked in free text.

    Codes number the wave's responses in the order they came in. With ``page_number``, only
    that page of respondents (``per_page``, by default ``ANSWERS_PER_PAGE``) is read; without,
    every respondent.
    """
    questions = list(wave_questions(wave=wave))
    respondents = Response.objects.filter(wave=wave).order_by("id").values_list("id", "group_id")
    answers = Answer.objects.only("id", "response_id", "question_id", "text", "number", "choices")
    page = None
    if page_number is None:
        chosen = list(respondents)
        first, total = 1, len(chosen)
        answers = answers.filter(response__wave=wave)
    else:
        page = Paginator(respondents, per_page or ANSWERS_PER_PAGE).get_page(page_number)
        chosen = list(page.object_list)
        first, total = page.start_index(), page.paginator.count
        answers = answers.filter(response_id__in=[pk for pk, _ in chosen])
    by_response: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_response[answer.response_id].append(answer)
    labels = _group_labels(wave)
    masker = program_name_masker(program=wave.program)
    by_id = {question.pk: question for question in questions}
    rows: list[tuple[str, str, dict[int, str]]] = []
    for number, (response_id, group_id) in enumerate(chosen, start=first):
        values = {
            a.question_id: _display(by_id[a.question_id], a, masker)
            for a in by_response[response_id]
            if a.question_id in by_id
        }
        rows.append((respondent_code(number, total), labels.get(group_id or 0, ""), values))
    by_question = [
        QuestionAnswers(
            q,
            [
                PseudonymousAnswer(code, group, values[q.pk])
                for code, group, values in rows
                if values.get(q.pk)
            ],
        )
        for q in questions
    ]
    return PseudonymisedWave(questions, by_question, rows, page)


@dataclass
class InvitationToAnswer:
    """A wave a person was invited to, and whether they answered or left a draft."""

    invitee: WaveInvitee
    has_draft: bool


def surveys_to_answer(*, user: User) -> list[InvitationToAnswer]:
    """The waves a person was invited to, newest first."""
    invitees = (
        WaveInvitee.objects.filter(user=user)
        .select_related("wave", "wave__program")
        .annotate(drafts=Count("draft"))
        .order_by("answered", "-wave__opens_on")
    )
    return [InvitationToAnswer(invitee, bool(invitee.drafts)) for invitee in invitees]
