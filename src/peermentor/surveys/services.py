"""Writes for surveys: instruments and their versions, waves, drafts, responses and imports."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from peermentor.accounts.models import User
from peermentor.core.audit import audit_record
from peermentor.core.tasks import enqueue_at
from peermentor.programs.models import Group, Membership, Program
from peermentor.surveys import records, selectors
from peermentor.surveys.default_instrument import DEFAULT_INSTRUMENT, read_instrument_csv
from peermentor.surveys.models import (
    Answer,
    Draft,
    Instrument,
    Question,
    Response,
    Section,
    Wave,
    WaveInvitee,
)
from peermentor.surveys.records import QuestionRecord, SurveyImport
from peermentor.surveys.tasks import send_wave_invitations

_TOKEN_SALT = "peermentor.surveys.invitee"  # noqa: S105 -- a salt, not a secret
MAX_TEXT = 20_000


class SurveyError(Exception):
    """A request the rules of surveys do not allow; ``problems`` maps a question key to why."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


# --- Tokens ------------------------------------------------------------------------------------


def invitee_token(invitee: WaveInvitee) -> str:
    """The invitee's secret link token; derived with the site's secret, never stored."""
    return _token_for(invitee.wave_id, invitee.user_id)


def _token_for(wave_id: int, user_id: int) -> str:
    return salted_hmac(_TOKEN_SALT, f"{wave_id}:{user_id}", algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    """The stored form of a link token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitee_for_token(token: str) -> WaveInvitee | None:
    """The invitee a token belongs to, or None for a forged or mistyped token."""
    invitee = (
        WaveInvitee.objects.select_related("wave__instrument", "wave__program")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitee is None or not constant_time_compare(invitee_token(invitee), token):
        return None
    return invitee


# --- Instruments -------------------------------------------------------------------------------


def _next_version(program: Program, name: str) -> int:
    last = Instrument.objects.filter(program=program, name=name).aggregate(v=Max("version"))["v"]
    return (last or 0) + 1


def instrument_from_records(
    *,
    program: Program,
    name: str,
    questions: Sequence[QuestionRecord],
    actor: User | None,
    section_titles: dict[str, str] | None = None,
    optional_sections: Iterable[str] = (),
) -> Instrument:
    """A new instrument (the next version of its name) holding the given questions."""
    titles = section_titles or {}
    with transaction.atomic():
        instrument = Instrument.objects.create(
            program=program, name=name, version=_next_version(program, name), created_by=actor
        )
        sections: dict[str, Section] = {}
        for position, record in enumerate(questions, start=1):
            section = None
            if record.section:
                section = sections.get(record.section) or _section(
                    instrument, record.section, titles, set(optional_sections), len(sections)
                )
                sections[record.section] = section
            Question.objects.create(
                instrument=instrument,
                section=section,
                key=record.key,
                type=record.type,
                label=record.label,
                choices=[list(choice) for choice in record.choices],
                position=position,
            )
        audit_record(action="survey.instrument_created", actor=actor, target=instrument)
    return instrument


def _section(
    instrument: Instrument, key: str, titles: dict[str, str], optional: set[str], count: int
) -> Section:
    return Section.objects.create(
        instrument=instrument,
        key=key,
        title=titles.get(key, key.replace("_", " ").capitalize()),
        optional=key in optional,
        position=count + 1,
    )


def instrument_create_default(*, program: Program, actor: User | None = None) -> Instrument:
    """The default "Peer mentoring group evaluation" instrument for a program."""
    return instrument_from_records(
        program=program,
        name=DEFAULT_INSTRUMENT.title,
        questions=DEFAULT_INSTRUMENT.questions(),
        actor=actor,
        section_titles={s.key: s.title for s in DEFAULT_INSTRUMENT.sections},
        optional_sections=[s.key for s in DEFAULT_INSTRUMENT.sections if s.optional],
    )


def instrument_has_responses(instrument: Instrument) -> bool:
    """Whether any wave of this version has answers (then it must not change)."""
    return Response.objects.filter(wave__instrument=instrument).exists()


def instrument_new_version(*, instrument: Instrument, actor: User | None) -> Instrument:
    """A copy of the instrument as its next version, with the same sections and questions."""
    with transaction.atomic():
        copy = Instrument.objects.create(
            program=instrument.program,
            name=instrument.name,
            version=_next_version(instrument.program, instrument.name),
            previous_version=instrument,
            created_by=actor,
        )
        sections = {}
        for section in instrument.sections.all():
            sections[section.pk] = Section.objects.create(
                instrument=copy,
                key=section.key,
                title=section.title,
                optional=section.optional,
                position=section.position,
            )
        Question.objects.bulk_create(
            Question(
                instrument=copy,
                section=sections.get(q.section_id),
                key=q.key,
                type=q.type,
                label=q.label,
                choices=q.choices,
                position=q.position,
                required=q.required,
            )
            for q in instrument.questions.all()
        )
        audit_record(
            action="survey.instrument_versioned", actor=actor, target=copy, previous=instrument.pk
        )
    return copy


def _editable(instrument: Instrument, actor: User) -> Instrument:
    """The instrument itself, or a new version of it when answers already rest on it."""
    if instrument_has_responses(instrument):
        return instrument_new_version(instrument=instrument, actor=actor)
    return instrument


def _check_question(kind: str, label: str, choices: Sequence[Sequence[str]]) -> None:
    if kind not in records.QUESTION_TYPES:
        raise SurveyError(f"Unknown question type {kind!r}.")
    if not label.strip():
        raise SurveyError("A question needs its text.")
    if kind in records.CHOICE_TYPES and len(choices) < 2:
        raise SurveyError("A choice or Likert question needs at least two choices.")
    if kind not in records.CHOICE_TYPES and choices:
        raise SurveyError("Only choice and Likert questions take choices.")
    codes = [str(code) for code, _ in choices]
    if len(codes) != len(set(codes)):
        raise SurveyError("Two choices share a code.")


def question_add(
    *,
    instrument: Instrument,
    actor: User,
    key: str,
    type: str,
    label: str,
    choices: Sequence[Sequence[str]] = (),
    required: bool = False,
    section: Section | None = None,
) -> Question:
    """Add a question at the end; an instrument with answers gets a new version first."""
    _check_question(type, label, choices)
    with transaction.atomic():
        target = _editable(instrument, actor)
        if target.questions.filter(key=key).exists():
            raise SurveyError(f"The key {key} is already used in this instrument.")
        last = target.questions.aggregate(p=Max("position"))["p"] or 0
        question = Question.objects.create(
            instrument=target,
            section=_same_section(target, section),
            key=key,
            type=type,
            label=label.strip(),
            choices=[[str(c), str(text)] for c, text in choices],
            position=last + 1,
            required=required,
        )
        audit_record(action="survey.question_added", actor=actor, target=target, kind=type)
    return question


def _same_section(instrument: Instrument, section: Section | None) -> Section | None:
    if section is None:
        return None
    return instrument.sections.filter(key=section.key).first()


def _in_version(question: Question, instrument: Instrument) -> Question:
    if question.instrument_id == instrument.pk:
        return question
    return instrument.questions.get(key=question.key)


def question_edit(
    *,
    question: Question,
    actor: User,
    label: str,
    choices: Sequence[Sequence[str]] = (),
    required: bool = False,
) -> Question:
    """Change a question's text, choices or whether it must be answered (versioned if needed)."""
    _check_question(question.type, label, choices)
    with transaction.atomic():
        target = _in_version(question, _editable(question.instrument, actor))
        target.label = label.strip()
        target.choices = [[str(c), str(text)] for c, text in choices]
        target.required = required
        target.save(update_fields=["label", "choices", "required"])
        audit_record(action="survey.question_changed", actor=actor, target=target.instrument)
    return target


def question_move(*, question: Question, actor: User, direction: str) -> Question:
    """Swap a question with its neighbour above (``up``) or below (``down``)."""
    if direction not in ("up", "down"):
        raise SurveyError("Move a question up or down.")
    with transaction.atomic():
        target = _in_version(question, _editable(question.instrument, actor))
        ordered = list(target.instrument.questions.order_by("position", "id"))
        index = ordered.index(target)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
            for position, item in enumerate(ordered, start=1):
                item.position = position
            Question.objects.bulk_update(ordered, ["position"])
        audit_record(action="survey.question_moved", actor=actor, target=target.instrument)
    return target


def questions_import_csv(
    *, instrument: Instrument, actor: User, data: bytes, filename: str
) -> Instrument:
    """Append the questions of an instrument CSV (all or nothing); the version changed."""
    questions = read_instrument_csv(data, filename)
    with transaction.atomic():
        target = _editable(instrument, actor)
        clash = set(target.questions.values_list("key", flat=True)) & {q.key for q in questions}
        if clash:
            raise SurveyError(
                f"{filename}: these keys are already used: {', '.join(sorted(clash))}"
            )
        for record in questions:
            question_add(
                instrument=target,
                actor=actor,
                key=record.key,
                type=record.type,
                label=record.label,
                choices=record.choices,
            )
    return target


# --- Waves -------------------------------------------------------------------------------------


def wave_open(
    *,
    program: Program,
    instrument: Instrument,
    actor: User | None,
    title: str,
    kind: str,
    mode: str,
    opens_on: dt.date,
    closes_on: dt.date,
    groups: Sequence[Group],
    consent_text: str = "",
    left_out_sections: Sequence[Section] = (),
    notify: bool = True,
) -> Wave:
    """Open a wave: invite the current members of its groups and e-mail their links."""
    _check_wave(program, instrument, mode, opens_on, closes_on, groups, consent_text)
    _check_left_out(instrument, left_out_sections)
    with transaction.atomic():
        wave = Wave.objects.create(
            program=program,
            instrument=instrument,
            title=title,
            kind=kind,
            mode=mode,
            opens_on=opens_on,
            closes_on=closes_on,
            consent_text=consent_text,
            created_by=actor,
        )
        wave.groups.set(groups)
        wave.left_out_sections.set(left_out_sections)
        invited = _invite(wave, groups)
        audit_record(
            action="survey.wave_opened", actor=actor, target=wave, mode=mode, invited=invited
        )
        if notify:
            transaction.on_commit(lambda: _send_invitations(wave))
    return wave


def _check_wave(
    program: Program,
    instrument: Instrument,
    mode: str,
    opens_on: dt.date,
    closes_on: dt.date,
    groups: Sequence[Group],
    consent_text: str,
) -> None:
    if instrument.program_id != program.pk:
        raise SurveyError("That instrument belongs to another program.")
    if closes_on < opens_on:
        raise SurveyError("A wave closes on or after the day it opens.")
    if not groups or any(group.program_id != program.pk for group in groups):
        raise SurveyError("Choose at least one group of this program.")
    if mode == Wave.Mode.IDENTIFIED and not consent_text.strip():
        raise SurveyError("An identified wave needs the consent text respondents agree to.")


def _check_left_out(instrument: Instrument, sections: Sequence[Section]) -> None:
    if any(s.instrument_id != instrument.pk or not s.optional for s in sections):
        raise SurveyError("Only optional sections of the wave's instrument can be left out.")


def _invite(wave: Wave, groups: Sequence[Group]) -> int:
    memberships = Membership.objects.filter(group__in=groups, left_on__isnull=True).order_by("id")
    seen: dict[int, int] = {}
    for user_id, group_id in memberships.values_list("user_id", "group_id"):
        seen.setdefault(user_id, group_id)
    WaveInvitee.objects.bulk_create(
        WaveInvitee(
            wave=wave,
            user_id=user_id,
            group_id=group_id,
            token_hash=token_hash(_token_for(wave.pk, user_id)),
        )
        for user_id, group_id in seen.items()
    )
    return len(seen)


def _send_invitations(wave: Wave) -> None:
    start = dt.datetime.combine(wave.opens_on, dt.time(8, 0), tzinfo=dt.UTC)
    if start <= timezone.now() or not enqueue_at(send_wave_invitations, start, wave_id=wave.pk):
        send_wave_invitations.enqueue(wave_id=wave.pk)


def wave_remind(*, wave: Wave, actor: User, today: dt.date | None = None) -> int:
    """E-mail a reminder to the invitees who have not answered; how many are waiting."""
    today = today or timezone.localdate()
    if not wave.opens_on <= today <= wave.closes_on:
        raise SurveyError("Reminders go out only while the wave is open.")
    waiting = wave.invitees.filter(answered=False).count()
    audit_record(action="survey.wave_reminded", actor=actor, target=wave, waiting=waiting)
    if waiting:
        transaction.on_commit(lambda: send_wave_invitations.enqueue(wave_id=wave.pk, reminder=True))
    return waiting


# --- Answering ---------------------------------------------------------------------------------

RawAnswers = dict[str, Any]


def closed_reason(*, wave: Wave, today: dt.date | None = None) -> str:
    """Why the wave cannot be answered today, or "" while it is open."""
    today = today or timezone.localdate()
    if today < wave.opens_on:
        return f"This survey opens on {wave.opens_on:%d %B %Y}."
    if today > wave.closes_on:
        return f"This survey closed on {wave.closes_on:%d %B %Y}."
    return ""


def _check_open(invitee: WaveInvitee, today: dt.date | None) -> None:
    reason = closed_reason(wave=invitee.wave, today=today)
    if reason:
        raise SurveyError(reason)
    if invitee.answered:
        raise SurveyError("You have already answered this survey; a person answers only once.")


def draft_save(*, invitee: WaveInvitee, answers: RawAnswers, today: dt.date | None = None) -> Draft:
    """Keep unfinished answers for later; nothing is checked beyond their size."""
    _check_open(invitee, today)
    kept = {key: value for key, value in _plain(answers).items() if value not in ("", [])}
    draft, _ = Draft.objects.update_or_create(invitee=invitee, defaults={"answers": kept})
    return draft


def _plain(answers: RawAnswers) -> dict[str, str | list[str]]:
    plain: dict[str, str | list[str]] = {}
    for key, value in answers.items():
        if isinstance(value, list | tuple):
            plain[str(key)] = [str(item)[:200] for item in value][:50]
        else:
            plain[str(key)] = str(value or "")[:MAX_TEXT]
    return plain


@dataclass
class _Checked:
    text: str = ""
    number: float | None = None
    choices: list[str] = field(default_factory=list)


def check_answers(questions: Sequence[Question], answers: RawAnswers) -> dict[int, _Checked]:
    """Answers by question id, each checked against its question; raises with every problem."""
    problems: dict[str, str] = {}
    checked: dict[int, _Checked] = {}
    for question in questions:
        try:
            value = _check_one(question, answers.get(question.key))
        except ValueError as error:
            problems[question.key] = str(error)
            continue
        if value is not None:
            checked[question.pk] = value
    if problems:
        raise SurveyError("Some answers need another look; nothing was sent yet.", problems)
    return checked


def _check_one(question: Question, raw: Any) -> _Checked | None:
    values = [str(v) for v in raw] if isinstance(raw, list | tuple) else [str(raw or "").strip()]
    values = [v for v in values if v]
    if not values:
        if question.required:
            raise ValueError("Please answer this question.")
        return None
    if question.type == Question.Type.OPEN_TEXT:
        if len(values[0]) > MAX_TEXT:
            raise ValueError(f"Please keep the answer under {MAX_TEXT} characters.")
        return _Checked(text=values[0])
    if question.type == Question.Type.NUMBER:
        return _Checked(number=_number(values[0]))
    codes = {str(code) for code, _ in question.choices}
    if any(value not in codes for value in values):
        raise ValueError("Please choose one of the listed answers.")
    if question.type != Question.Type.MULTIPLE_CHOICE and len(values) > 1:
        raise ValueError("Please choose only one answer.")
    return _Checked(choices=values)


def _number(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ValueError("Please write a number, such as 3 or 2.5.") from None


def response_submit(
    *,
    invitee: WaveInvitee,
    answers: RawAnswers,
    consent: bool = False,
    today: dt.date | None = None,
) -> Response:
    """Record a response all or nothing; an anonymous one keeps no link to the person."""
    wave = invitee.wave
    if wave.mode == Wave.Mode.IDENTIFIED and not consent:
        raise SurveyError("Tick the consent box to send identified answers; nothing was sent.")
    checked = check_answers(list(selectors.wave_questions(wave=wave)), answers)
    with transaction.atomic():
        locked = WaveInvitee.objects.select_for_update().select_related("wave").get(pk=invitee.pk)
        _check_open(locked, today)
        identified = wave.mode == Wave.Mode.IDENTIFIED
        response = Response.objects.create(
            wave=wave,
            group_id=locked.group_id,
            respondent_id=locked.user_id if identified else None,
            consented=identified,
        )
        Answer.objects.bulk_create(
            Answer(response=response, question_id=question_id, **vars(value))
            for question_id, value in checked.items()
        )
        WaveInvitee.objects.filter(pk=locked.pk).update(answered=True)
        Draft.objects.filter(invitee=locked).delete()
        # The person is left out of the audit entry on purpose: it would undo the anonymity.
        audit_record(action="survey.response_submitted", actor=None, target=wave)
    invitee.answered = True
    return response


# --- Imports -----------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import saved."""

    wave: Wave
    responses: int
    answers: int
    open_text_answers: int


def import_errors(result: SurveyImport, filename: str) -> list[str]:
    """Each problem of a read file as "file, row R, column C: message"."""
    return [f"{filename}, {issue}" for issue in result.errors]


def survey_import(
    *,
    program: Program,
    result: SurveyImport,
    filename: str,
    actor: User | None,
    wave: Wave | None = None,
) -> ImportSummary:
    """Save the responses of a read file into a wave (or a new one), all or nothing."""
    if result.errors:
        raise SurveyError("Nothing was imported: " + "; ".join(import_errors(result, filename)))
    if not result.responses:
        raise SurveyError(f"{filename}: the file holds no responses; nothing was imported.")
    with transaction.atomic():
        target = wave or _imported_wave(program, result, filename, actor)
        if target.program_id != program.pk:
            raise SurveyError("That wave belongs to another program.")
        questions = _questions_for(target, result, filename)
        summary = _save_responses(target, result, questions)
        audit_record(
            action="survey.imported",
            actor=actor,
            target=target,
            format=result.format[:32],
            responses=summary.responses,
        )
    return summary


def _imported_wave(
    program: Program, result: SurveyImport, filename: str, actor: User | None
) -> Wave:
    instrument = instrument_from_records(
        program=program, name=f"Imported: {filename}"[:200], questions=result.questions, actor=actor
    )
    today = timezone.localdate()
    return Wave.objects.create(
        program=program,
        instrument=instrument,
        title=f"Imported from {filename}"[:200],
        kind=Wave.Kind.CUSTOM,
        mode=Wave.Mode.ANONYMOUS,
        opens_on=today,
        closes_on=today,
        imported_from=filename[:200],
        created_by=actor,
    )


def _questions_for(wave: Wave, result: SurveyImport, filename: str) -> dict[str, Question]:
    by_key = {q.key: q for q in selectors.wave_questions(wave=wave)}
    problems = []
    for record in result.questions:
        question = by_key.get(record.key)
        if question is None:
            problems.append(f"{filename}, row 1, column {record.key}: no such question in the wave")
        elif question.type != record.type and question.type != Question.Type.OPEN_TEXT:
            problems.append(
                f"{filename}, row 1, column {record.key}: the file has {record.type} answers, "
                f"the wave's question is {question.type}"
            )
    if problems:
        raise SurveyError("Nothing was imported: " + "; ".join(problems))
    return {record.key: by_key[record.key] for record in result.questions}


def _save_responses(
    wave: Wave, result: SurveyImport, questions: dict[str, Question]
) -> ImportSummary:
    answers: list[Answer] = []
    open_text = 0
    for record in result.responses:
        response = Response.objects.create(wave=wave)
        for key, value in record.answers.items():
            question = questions[key]
            answer = _imported_answer(response, question, value)
            open_text += question.type == Question.Type.OPEN_TEXT
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=500)
    return ImportSummary(wave, len(result.responses), len(answers), open_text)


def _imported_answer(response: Response, question: Question, value: Any) -> Answer:
    answer = Answer(response=response, question=question)
    if question.type == Question.Type.OPEN_TEXT:
        answer.text = " ".join(value) if isinstance(value, tuple) else str(value)
    elif question.type == Question.Type.NUMBER:
        answer.number = float(value)
    else:
        answer.choices = list(value) if isinstance(value, tuple) else [str(value)]
    return answer
