"""Qualtrics imports: the CSV export with three header rows, or the legacy one with two.

Pure module: no Django import. The current export has a row of column names (``Q1``,
``ResponseId``), a row of question texts in the survey's language (German, say) and a row of
JSON import ids (``{"ImportId":"QID1_TEXT"}``); the legacy export has only the first two,
with ``V1``…``V10`` for its metadata columns. Columns are told apart by name and import id,
never by the translated text of the second row.

Privacy: only question columns are imported. Dropped, and listed in
``SurveyImport.dropped_columns``: the response metadata (``StartDate``, ``EndDate``,
``Status``, ``IPAddress``, ``Progress``, ``Duration (in seconds)``, ``RecordedDate``,
``RecipientLastName``, ``RecipientFirstName``, ``RecipientEmail``, ``ExternalReference``,
``LocationLatitude``, ``LocationLongitude``, ``LocationAccuracy``, ``DistributionChannel``,
``UserLanguage``, the legacy ``ResponseSet``, ``Name``, ``ExternalDataReference`` and
``EmailAddress``, and every ``Q_…`` system field such as ``Q_RecaptchaScore``); embedded data
fields (they often carry e-mail addresses or staff ids); Text iQ topic and sentiment columns
(an analysis, not an answer); and, in the legacy form, any column whose name speaks of an
e-mail, IP address, location, recipient or name. ``Finished`` is kept as response context,
``ResponseId`` as the respondent key. Survey previews, tests and responses flagged as spam
are skipped with a warning.

Question types: an import id or column name ending in ``_TEXT`` is open text. Other question
columns are single choice, or multiple choice when a cell lists several numeric codes
(``1,3``), or a number when every value is a decimal number; the export does not carry choice
labels, so a choice's label is its code (or the choice text, when exported as text).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from peermentor.surveys.records import (
    DEFAULT_LIMITS,
    MULTIPLE_CHOICE,
    NUMBER,
    OPEN_TEXT,
    SINGLE_CHOICE,
    AnswerValue,
    ImportIssue,
    QuestionRecord,
    ReadLimits,
    ResponseRecord,
    SurveyFileError,
    SurveyImport,
)
from peermentor.surveys.tabular import (
    Row,
    Source,
    header_names,
    parse_number,
    ragged_issue,
    read_csv_rows,
)

FORMAT = "qualtrics"
LEGACY_FORMAT = "qualtrics-legacy"

METADATA_COLUMNS = frozenset(
    name.casefold()
    for name in (
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "ExternalDataReference",
        "LocationLatitude",
        "LocationLongitude",
        "LocationAccuracy",
        "DistributionChannel",
        "UserLanguage",
        "ResponseSet",
        "Name",
        "EmailAddress",
        *(f"V{number}" for number in range(1, 11)),
    )
)
_RESPONSE_ID_NAMES = ("responseid", "_recordid")
_PRIVATE_WORDS = re.compile(
    r"e-?mail|ip.?address|latitude|longitude|location|recipient|\bname\b", re.IGNORECASE
)
_TEXT_IQ = re.compile(r"_TEXT_.|\s-\s(parent topics|topics|sentiment.*|topic sentiment.*)$", re.I)
_QUESTION_ID = re.compile(r"^QID\d+")
_CODES = re.compile(r"^\d+(,\d+)*$")
_SKIPPED_STATUS = {"1", "2", "8", "9", "12", "17"}
_SKIPPED_STATUS_WORDS = ("preview", "test", "spam")


@dataclass
class _Layout:
    """Where the answers start and what each column holds."""

    names: list[str]
    labels: list[str]
    import_ids: list[str] | None
    first_data: int
    response_id: int
    status: int | None
    finished: int | None


def read_qualtrics(
    data: Source, filename: str = "qualtrics.csv", *, limits: ReadLimits = DEFAULT_LIMITS
) -> SurveyImport:
    """Responses from a Qualtrics CSV export (three header rows, or the legacy two)."""
    table = read_csv_rows(data, filename, limits, header_rows=3)
    layout = _layout(table.rows, filename)
    result = SurveyImport(LEGACY_FORMAT if layout.import_ids is None else FORMAT, [], [])
    result.warnings = list(table.warnings)
    kept: list[Row] = []
    for row in table.rows[layout.first_data :]:
        issue = ragged_issue(row[0], row[1], len(layout.names))
        if issue:
            result.errors.append(issue)
        elif _skipped(layout, row[1]):
            result.warnings.append(f"row {row[0]} skipped: a survey preview, test or spam")
        else:
            kept.append(row)
    columns, result.dropped_columns = _split_columns(layout)
    result.questions = [_question(layout, index, kept) for index in columns]
    result.responses = [_response(row, layout, result.questions, columns) for row in kept]
    _check_keys(result.responses, result.errors, layout.names[layout.response_id])
    return result


def _layout(rows: list[Row], filename: str) -> _Layout:
    if len(rows) < 2:
        raise SurveyFileError(
            "a Qualtrics export starts with two or three header rows; this file is shorter",
            filename,
            len(rows) + 1,
        )
    names = header_names(rows[0][1], filename, rows[0][0])
    labels = _fit(rows[1][1], len(names))
    import_ids = _import_ids(rows[2], names, filename) if len(rows) > 2 else None
    layout = _Layout(names, labels, import_ids, 2 if import_ids is None else 3, -1, None, None)
    folded = [name.casefold() for name in names]
    ids = [value.casefold() for value in import_ids or []]
    for index, name in enumerate(folded):
        legacy_id = import_ids is None and name == "v1" and labels[index].casefold() == "responseid"
        if name in _RESPONSE_ID_NAMES or legacy_id or (ids and ids[index] == "_recordid"):
            layout.response_id = index
    if layout.response_id < 0:
        raise SurveyFileError(
            "there is no ResponseId column; is this a Qualtrics CSV export?",
            filename,
            rows[0][0],
            "ResponseId",
        )
    layout.status = _find(folded, labels, "status", "v7")
    layout.finished = _find(folded, labels, "finished", "v10")
    return layout


def _find(folded: list[str], labels: list[str], name: str, legacy: str) -> int | None:
    for index, column in enumerate(folded):
        if column == name or (column == legacy and labels[index].casefold() == name):
            return index
    return None


def _fit(cells: list[str], width: int) -> list[str]:
    return [cell.strip() for cell in (cells + [""] * width)[:width]]


def _import_ids(row: Row, names: list[str], filename: str) -> list[str] | None:
    """The import ids of the third header row, or None when it is a legacy export's first answer."""
    number, cells = row
    if not cells or not cells[0].lstrip().startswith("{"):
        return None
    ids: list[str] = []
    for index, cell in enumerate(_fit(cells, len(names))):
        try:
            value = json.loads(cell) if cell else {}
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise SurveyFileError(
                'the third header row should hold {"ImportId": …} for every column',
                filename,
                number,
                names[index],
            )
        ids.append(str(value.get("ImportId", "")))
    return ids


def _split_columns(layout: _Layout) -> tuple[list[int], list[str]]:
    """The indexes of question columns, and the names of every column left out."""
    questions: list[int] = []
    dropped: list[str] = []
    for index, name in enumerate(layout.names):
        if index == layout.response_id:
            continue
        if _is_question(layout, index):
            questions.append(index)
        else:
            dropped.append(name)
    return questions, dropped


def _is_question(layout: _Layout, index: int) -> bool:
    name = layout.names[index]
    folded = name.casefold()
    if folded in METADATA_COLUMNS or folded.startswith("q_") or _TEXT_IQ.search(name):
        return False
    if layout.import_ids is not None:
        import_id = layout.import_ids[index]
        return bool(_QUESTION_ID.match(import_id)) and not _TEXT_IQ.search(import_id)
    return not _PRIVATE_WORDS.search(name) and not _PRIVATE_WORDS.search(layout.labels[index])


def _question(layout: _Layout, index: int, body: list[Row]) -> QuestionRecord:
    name = layout.names[index]
    import_id = layout.import_ids[index] if layout.import_ids else name
    values = [_cell(cells, index) for _, cells in body]
    values = [value for value in values if value]
    label = layout.labels[index] or name
    if import_id.upper().endswith("_TEXT"):
        return QuestionRecord(name, label, OPEN_TEXT)
    numeric = bool(values) and all(parse_number(value) is not None for value in values)
    coded = bool(values) and all(_CODES.match(value) for value in values)
    if numeric and not coded:
        return QuestionRecord(name, label, NUMBER)
    if coded:
        kind = MULTIPLE_CHOICE if any("," in value for value in values) else SINGLE_CHOICE
        codes = sorted({code for value in values for code in value.split(",")}, key=int)
        return QuestionRecord(name, label, kind, tuple((code, code) for code in codes))
    if layout.import_ids is None:
        return QuestionRecord(name, label, OPEN_TEXT)
    seen = list(dict.fromkeys(values))
    return QuestionRecord(name, label, SINGLE_CHOICE, tuple((value, value) for value in seen))


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _skipped(layout: _Layout, cells: list[str]) -> bool:
    if layout.status is None:
        return False
    status = _cell(cells, layout.status).casefold()
    return status in _SKIPPED_STATUS or any(word in status for word in _SKIPPED_STATUS_WORDS)


def _response(
    row: Row, layout: _Layout, questions: list[QuestionRecord], columns: list[int]
) -> ResponseRecord:
    number, cells = row
    answers: dict[str, AnswerValue] = {}
    for question, index in zip(questions, columns, strict=True):
        value = _cell(cells, index)
        if value:
            answers[question.key] = _answer(question, value)
    context = {}
    if layout.finished is not None and _cell(cells, layout.finished):
        context["finished"] = _cell(cells, layout.finished)
    key = _cell(cells, layout.response_id) or None
    return ResponseRecord(number, key, answers, context)


def _answer(question: QuestionRecord, value: str) -> AnswerValue:
    if question.type == MULTIPLE_CHOICE:
        return tuple(value.split(","))
    if question.type == NUMBER:
        number = parse_number(value)
        return value if number is None else number
    return value


def _check_keys(responses: list[ResponseRecord], errors: list[ImportIssue], column: str) -> None:
    """Every response needs a ResponseId, and no two may share one."""
    seen: set[str] = set()
    for response in responses:
        if response.respondent_key is None:
            errors.append(ImportIssue(response.row, column, "the ResponseId is blank"))
        elif response.respondent_key in seen:
            errors.append(ImportIssue(response.row, column, "this ResponseId appears twice"))
        else:
            seen.add(response.respondent_key)
