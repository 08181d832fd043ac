"""The default "Peer mentoring group evaluation" instrument, and a reader for instruments in CSV.

Pure module: no Django import. The default follows the evaluation of the program PeerMentor
implements: open-ended questions in three sets (benefits; undesirable or unintended outcomes
and what made taking part hard; effects on career, scholarly work and collaboration), then a
short optional set of closed questions. Its wording was written for PeerMentor and borrows
no licensed instrument's items. A program that holds a licence for another instrument can add
its items with :func:`read_instrument_csv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peermentor.surveys.records import (
    CHOICE_TYPES,
    DEFAULT_LIMITS,
    LIKERT,
    MULTIPLE_CHOICE,
    OPEN_TEXT,
    QUESTION_TYPES,
    QuestionRecord,
    ReadLimits,
    SurveyFileError,
)
from peermentor.surveys.tabular import Row, Source, read_csv_rows

TITLE = "Peer mentoring group evaluation"
INSTRUMENT_COLUMNS = ("section", "key", "type", "label", "choices")

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_MAX_REPORTED = 20


@dataclass(frozen=True)
class InstrumentSection:
    """A titled set of questions; an optional section may be left out of a wave."""

    key: str
    title: str
    optional: bool
    questions: tuple[QuestionRecord, ...]


@dataclass(frozen=True)
class Instrument:
    """A named questionnaire made of sections."""

    title: str
    sections: tuple[InstrumentSection, ...]

    def questions(self) -> list[QuestionRecord]:
        """Every question in order, section by section."""
        return [question for section in self.sections for question in section.questions]


def _open(section: str, key: str, label: str) -> QuestionRecord:
    return QuestionRecord(key=key, label=label, type=OPEN_TEXT, section=section)


BENEFITS = InstrumentSection(
    "benefits",
    "Benefits and positive outcomes of taking part",
    False,
    (
        _open(
            "benefits",
            "benefits_gains",
            "What has taking part in the peer mentoring group given you, personally or "
            "professionally?",
        ),
        _open(
            "benefits",
            "benefits_moment",
            "Describe a meeting or moment when the group was especially useful to you. "
            "What happened, and what came of it?",
        ),
        _open(
            "benefits",
            "benefits_workplace",
            "How, if at all, has the group changed how you feel about your work, your "
            "colleagues or your place in the department?",
        ),
        _open(
            "benefits",
            "benefits_keep",
            "What about the way the group works should stay as it is?",
        ),
    ),
)

DIFFICULTIES = InstrumentSection(
    "difficulties",
    "Undesirable or unintended outcomes, and what made taking part hard",
    False,
    (
        _open(
            "difficulties",
            "difficulties_drawbacks",
            "Has taking part had drawbacks, or effects you did not expect or want? "
            "Please describe them.",
        ),
        _open(
            "difficulties",
            "difficulties_barriers",
            "What, if anything, made it hard to come to meetings or to take part fully?",
        ),
        _open(
            "difficulties",
            "difficulties_climate",
            "How comfortable were you raising a topic, disagreeing or asking for help in the "
            "group? What made that easier or harder?",
        ),
        _open(
            "difficulties",
            "difficulties_change",
            "What would you change about the group's format, membership, focus or timing?",
        ),
    ),
)

CAREER = InstrumentSection(
    "career",
    "Effects on career, scholarly work and collaboration",
    False,
    (
        _open(
            "career",
            "career_scholarship",
            "How, if at all, has the group affected your scholarly work, such as papers, "
            "presentations, workshops, grants or teaching materials?",
        ),
        _open(
            "career",
            "career_collaboration",
            "Describe any projects you have started or finished with other members of the group.",
        ),
        _open(
            "career",
            "career_direction",
            "How has the group influenced your goals, career decisions or plans for promotion?",
        ),
        _open(
            "career",
            "career_beyond",
            "Has the group led to roles, contacts or opportunities outside it? Please give "
            "examples.",
        ),
    ),
)

RATINGS = InstrumentSection(
    "ratings",
    "Overall ratings (optional)",
    True,
    (
        QuestionRecord(
            key="ratings_satisfaction",
            label="Overall, how satisfied are you with the peer mentoring group?",
            type=LIKERT,
            choices=(
                ("1", "Very dissatisfied"),
                ("2", "Dissatisfied"),
                ("3", "Neither satisfied nor dissatisfied"),
                ("4", "Satisfied"),
                ("5", "Very satisfied"),
            ),
            section="ratings",
        ),
        QuestionRecord(
            key="ratings_recommend",
            label="How likely are you to recommend joining a peer mentoring group to a colleague?",
            type=LIKERT,
            choices=(
                ("1", "Very unlikely"),
                ("2", "Unlikely"),
                ("3", "Not sure"),
                ("4", "Likely"),
                ("5", "Very likely"),
            ),
            section="ratings",
        ),
        QuestionRecord(
            key="ratings_attendance_barriers",
            label="What has kept you from meetings? Tick all that apply.",
            type=MULTIPLE_CHOICE,
            choices=(
                ("clinical", "Clinical duties"),
                ("teaching", "Teaching duties"),
                ("meeting_time", "The meeting time"),
                ("family", "Family commitments"),
                ("other", "Other"),
            ),
            section="ratings",
        ),
    ),
)

DEFAULT_INSTRUMENT = Instrument(TITLE, (BENEFITS, DIFFICULTIES, CAREER, RATINGS))


# -- Instruments from CSV ---------------------------------------------------------------------


def read_instrument_csv(
    data: Source, filename: str = "instrument.csv", *, limits: ReadLimits = DEFAULT_LIMITS
) -> list[QuestionRecord]:
    """Questions from a CSV with columns section, key, type, label and choices (``1=Yes|0=No``)."""
    rows = read_csv_rows(data, filename, limits).rows
    if not rows:
        raise SurveyFileError("the file is empty: no header row", filename, 1)
    positions = _positions(rows[0], filename)
    problems: list[tuple[int, str, str]] = []
    questions: list[QuestionRecord] = []
    seen: set[str] = set()
    for row in rows[1:]:
        question = _instrument_row(row, positions, len(rows[0][1]), problems)
        if question is not None and question.key in seen:
            problems.append((row[0], "key", f"the key {question.key} is used twice"))
        elif question is not None:
            questions.append(question)
            seen.add(question.key)
    if not questions and not problems:
        problems.append((rows[0][0] + 1, "key", "the file lists no questions"))
    if problems:
        raise _problems_error(problems, filename)
    return questions


def _positions(header: Row, filename: str) -> dict[str, int]:
    number, cells = header
    names = [cell.strip().lower() for cell in cells]
    for column in INSTRUMENT_COLUMNS:
        if column not in names:
            raise SurveyFileError(
                f"the header should name the columns {', '.join(INSTRUMENT_COLUMNS)}",
                filename,
                number,
                column,
            )
    return {column: names.index(column) for column in INSTRUMENT_COLUMNS}


def _instrument_row(
    row: Row, positions: dict[str, int], width: int, problems: list[tuple[int, str, str]]
) -> QuestionRecord | None:
    number, cells = row
    values = {
        column: cells[index].strip() if index < len(cells) else ""
        for column, index in positions.items()
    }
    found: list[tuple[int, str, str]] = []
    if any(cell.strip() for cell in cells[width:]):
        found.append((number, "choices", f"the row has {len(cells)} columns, the header {width}"))
    if not _KEY.match(values["key"]):
        found.append(
            (number, "key", "use lower-case letters, digits and _ and start with a letter")
        )
    if values["type"] not in QUESTION_TYPES:
        found.append((number, "type", f"use one of {', '.join(QUESTION_TYPES)}"))
    if not values["label"]:
        found.append((number, "label", "the question has no text"))
    choices = _choices(number, values["type"], values["choices"], found)
    problems.extend(found)
    if found:
        return None
    return QuestionRecord(
        values["key"], values["label"], values["type"], choices, values["section"]
    )


def _choices(
    number: int, kind: str, text: str, found: list[tuple[int, str, str]]
) -> tuple[tuple[str, str], ...]:
    """Choices ``code=label|code=label``, split on each choice's first ``=``."""
    choices: list[tuple[str, str]] = []
    for item in (piece.strip() for piece in text.split("|") if piece.strip()):
        code, equals, label = item.partition("=")
        if not equals or not code.strip() or not label.strip():
            found.append((number, "choices", f"“{item}” should read code=label"))
            continue
        choices.append((code.strip(), label.strip()))
    codes = [code for code, _ in choices]
    if len(codes) != len(set(codes)):
        found.append((number, "choices", "two choices share a code"))
    if kind in CHOICE_TYPES and len(choices) < (1 if kind == MULTIPLE_CHOICE else 2):
        found.append((number, "choices", f"a {kind} question needs its choices"))
    if kind not in CHOICE_TYPES and text:
        found.append((number, "choices", f"a {kind} question takes no choices"))
    return tuple(choices)


def _problems_error(problems: list[tuple[int, str, str]], filename: str) -> SurveyFileError:
    problems.sort()
    listed = "; ".join(
        f"row {number}, {column}: {message}" for number, column, message in problems[:_MAX_REPORTED]
    )
    more = len(problems) - _MAX_REPORTED
    suffix = f"; and {more} more" if more > 0 else ""
    first_row, first_column, _ = problems[0]
    return SurveyFileError(
        f"the instrument has {len(problems)} problem(s): {listed}{suffix}",
        filename,
        first_row,
        first_column,
    )
