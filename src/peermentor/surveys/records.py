"""Plain records of an imported survey: questions, responses, per-cell issues and file errors.

Pure module: no Django import. Every survey reader turns a file into a :class:`SurveyImport`;
a problem with the file as a whole raises :class:`SurveyFileError`, while a problem with one
cell or row is an :class:`ImportIssue` in ``SurveyImport.errors``. The caller imports all or
nothing: a non-empty ``errors`` list means nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OPEN_TEXT = "open_text"
LIKERT = "likert"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
NUMBER = "number"
QUESTION_TYPES = (OPEN_TEXT, LIKERT, SINGLE_CHOICE, MULTIPLE_CHOICE, NUMBER)
CHOICE_TYPES = (LIKERT, SINGLE_CHOICE, MULTIPLE_CHOICE)

MEGABYTE = 1024 * 1024

# An answer: text (open text), a choice code (likert, single choice), a tuple of choice codes
# (multiple choice) or a number.
AnswerValue = str | int | float | tuple[str, ...]


@dataclass(frozen=True)
class QuestionRecord:
    """One question of an instrument; choices are (code, label) pairs in display order."""

    key: str
    label: str
    type: str
    choices: tuple[tuple[str, str], ...] = ()
    section: str = ""

    def __post_init__(self) -> None:
        if self.type not in QUESTION_TYPES:
            raise ValueError(f"unknown question type {self.type!r}")

    def choice_label(self, code: str) -> str:
        """The label of one choice code, or the code itself when the question does not list it."""
        return dict(self.choices).get(code, code)


@dataclass(frozen=True)
class ResponseRecord:
    """One response: its row in the file, who answered (if known) and the answers by question key.

    ``context`` holds facts about the row that are not answers, such as a REDCap event name or
    repeat instance, so that the caller can tell two responses of one respondent apart.
    """

    row: int
    respondent_key: str | None
    answers: dict[str, AnswerValue]
    context: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportIssue:
    """A problem with one row (and, when known, one column) that blocks the import."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        place = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{place}: {self.message}"


@dataclass
class SurveyImport:
    """What a reader found in a file; ``dropped_columns`` lists columns left out on purpose."""

    format: str
    questions: list[QuestionRecord]
    responses: list[ResponseRecord]
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadLimits:
    """Caps that every reader checks before trusting a file: bytes first, then rows and cells."""

    max_bytes: int = 20 * MEGABYTE
    max_rows: int = 100_000
    max_cell_chars: int = 100_000


DEFAULT_LIMITS = ReadLimits()


class SurveyFileError(Exception):
    """A file that cannot be imported at all; its text names the file, and row and column if known.

    Rows count as a spreadsheet shows them: the first line of the file is row 1.
    """

    def __init__(
        self, message: str, file: str, row: int | None = None, column: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column

    def __str__(self) -> str:
        place = [self.file]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column}")
        return f"{', '.join(place)}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (SurveyFileError, (self.message, self.file, self.row, self.column))
