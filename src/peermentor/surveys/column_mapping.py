"""The column-mapping step of a generic CSV/XLSX import: choices per column, checks, the mapping.

Pure module: no Django import. Each column of the file gets one choice: a question key of the
wave, ``new`` (a new open-text question, only when the import makes a new wave), ``respondent``
or ``ignore``. The chosen values become the ``mapping`` that ``tabular.read_mapped`` reads by.
"""

from __future__ import annotations

from collections import defaultdict

from peermentor.surveys.reading import column_key
from peermentor.surveys.records import OPEN_TEXT, ImportIssue, QuestionRecord, SurveyImport
from peermentor.surveys.tabular import ColumnRole, TableInfo, inspect, read_mapped

IGNORE = "ignore"
RESPONDENT = "respondent"
NEW = "new"
SAMPLES_SHOWN = 3
SAMPLE_CHARS = 60


def table_issues(data: bytes, filename: str) -> list[ImportIssue]:
    """Problems no mapping can fix, such as ragged rows; an unreadable file raises."""
    columns = inspect(data, filename).columns
    return read_mapped(data, filename, dict.fromkeys(columns, IGNORE)).errors


def initial_choice(column: str, questions: list[QuestionRecord] | None) -> str:
    """The pre-filled choice: the question whose key the column is named, else ignore or new."""
    if questions is None:
        return NEW
    keys = {question.key for question in questions}
    for candidate in (column.strip(), column_key(column)):
        if candidate in keys:
            return candidate
    return IGNORE


def column_samples(info: TableInfo) -> list[list[str]]:
    """A few non-blank sample values of each column, shortened for display."""
    samples: list[list[str]] = [[] for _ in info.columns]
    for row in info.sample_rows:
        for index, cell in enumerate(row):
            text = cell.strip()
            if text and len(samples[index]) < SAMPLES_SHOWN:
                short = text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"
                samples[index].append(short)
    return samples


def mapping_problems(choices: dict[str, str], required: list[str]) -> list[str]:
    """Why a set of choices cannot be imported: a question or the respondent chosen twice, a
    required question with no column, or no question at all."""
    columns_of: dict[str, list[str]] = defaultdict(list)
    for column, choice in choices.items():
        if choice not in (IGNORE, NEW):
            columns_of[choice].append(column)
    problems = [
        _twice(choice, columns) for choice, columns in columns_of.items() if len(columns) > 1
    ]
    problems += [
        f"Question {key} must be answered: choose the column that holds its answers."
        for key in required
        if key not in columns_of
    ]
    if not any(choice not in (IGNORE, RESPONDENT) for choice in choices.values()):
        problems.append("Choose at least one column of answers.")
    return problems


def _twice(choice: str, columns: list[str]) -> str:
    names = " and ".join(f"“{column}”" for column in columns)
    what = "the respondent id" if choice == RESPONDENT else f"question {choice}"
    return f"Columns {names} are both mapped to {what}; keep one and ignore the others."


def build_mapping(
    choices: dict[str, str], questions: list[QuestionRecord] | None
) -> dict[str, ColumnRole]:
    """The mapping for ``tabular.read_mapped`` from the choice made for each column."""
    by_key = {question.key: question for question in questions or []}
    mapping: dict[str, ColumnRole] = {}
    for column, choice in choices.items():
        if choice == NEW:
            mapping[column] = QuestionRecord(column_key(column), column.strip(), OPEN_TEXT)
        elif choice in (IGNORE, RESPONDENT):
            mapping[column] = choice  # type: ignore[assignment]
        else:
            mapping[column] = by_key[choice]
    return mapping


def required_gaps(
    result: SurveyImport, mapping: dict[str, ColumnRole], required: list[str]
) -> list[ImportIssue]:
    """An issue for each row whose cell of a required question is blank."""
    column_of = {
        role.key: column for column, role in mapping.items() if isinstance(role, QuestionRecord)
    }
    issues = []
    for response in result.responses:
        for key in required:
            if key in column_of and key not in response.answers:
                message = f"question {key} must be answered, and this cell is blank"
                issues.append(ImportIssue(response.row, column_of[key], message))
    return issues
