"""REDCap imports: a data export CSV (raw values, variable names) read with its data dictionary.

Pure module: no Django import. How REDCap's shapes become responses:

- The dictionary may use either header spelling: the long one of the Online Designer download
  ("Variable / Field Name", "Form Name", …) or the API's short one (``field_name``,
  ``form_name``, …). ``NA`` in the API spelling (written by R) counts as blank.
- The first field of the dictionary is the record ID; its value is the respondent key.
- Each data row is one response. In a longitudinal project the row's ``redcap_event_name`` and
  in a project with repeating instruments its ``redcap_repeat_instrument`` and
  ``redcap_repeat_instance`` go into ``ResponseRecord.context``, so one record may give several
  responses; a repeating row answers only the fields of its own instrument. The data access
  group (``redcap_data_access_group``) goes into the context too.
- Checkbox columns ``name___code`` fold into one multiple-choice answer, the tuple of ticked
  codes; a checkbox with no box ticked is left unanswered, since REDCap exports ``0`` for every
  box of a form nobody opened.
- Choices are split on ``|``, and each choice on its first comma only, so
  ``1, Strongly agree, mostly`` is code ``1`` with label ``Strongly agree, mostly``.
- Field types: ``text`` and ``notes`` are open text (numeric validation makes a number);
  ``radio`` and ``dropdown`` are single choice, or Likert when the choices are a 5- or 7-point
  agreement or satisfaction scale; ``checkbox`` is multiple choice; ``yesno`` and
  ``truefalse`` are single choice; ``slider`` is a number; ``calc``, ``descriptive``,
  ``file`` and ``sql`` are not answers and are ignored.
- Numbers may use a decimal comma (``1,54``).

Privacy: fields flagged as identifiers, text fields validated as dates, times, e-mail
addresses, phone numbers or postal codes, ``redcap_survey_identifier`` and the
``*_timestamp``/``*_complete`` form columns are never imported; they are listed in
``SurveyImport.dropped_columns``.

REDCap project XML (CDISC ODM) is refused: it is a project snapshot, not a data export.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from peermentor.surveys.records import (
    DEFAULT_LIMITS,
    LIKERT,
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
    answer_value,
    header_names,
    ragged_issue,
    read_csv_rows,
)

FORMAT = "redcap"
ODM_MESSAGE = (
    "REDCap project XML is not a data export; export the data as CSV with its data dictionary"
)

_LONG_HEADERS = {
    "variable / field name": "field_name",
    "form name": "form_name",
    "section header": "section_header",
    "field type": "field_type",
    "field label": "field_label",
    "choices, calculations, or slider labels": "select_choices_or_calculations",
    "field note": "field_note",
    "text validation type or show slider number": "text_validation_type_or_show_slider_number",
    "identifier?": "identifier",
}
_REQUIRED = ("field_name", "form_name", "field_type", "field_label")
_VALIDATION = "text_validation_type_or_show_slider_number"
_CHOICES = "select_choices_or_calculations"
_IGNORED_TYPES = ("calc", "descriptive", "file", "sql")
_CHOICE_TYPES = ("radio", "dropdown", "checkbox", "yesno", "truefalse")
_KNOWN_TYPES = ("text", "notes", "slider", *_CHOICE_TYPES, *_IGNORED_TYPES)
_FIXED_CHOICES = {
    "yesno": (("1", "Yes"), ("0", "No")),
    "truefalse": (("1", "True"), ("0", "False")),
}
_PRIVATE_VALIDATION = re.compile(r"^(date|datetime|time|email|phone|zipcode|postalcode)")
_NUMBER_VALIDATION = re.compile(r"^(integer|number)")
_CONTEXT_COLUMNS = {
    "redcap_event_name": "event",
    "redcap_repeat_instrument": "repeat_instrument",
    "redcap_repeat_instance": "repeat_instance",
    "redcap_data_access_group": "data_access_group",
}
_DROPPED_SYSTEM = ("redcap_survey_identifier",)
_CHECKED = ("1", "checked")
_UNCHECKED = ("", "0", "unchecked")
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class RedcapField:
    """One row of a REDCap data dictionary, with its labels stripped of HTML."""

    name: str
    form: str
    section: str
    field_type: str
    label: str
    choices: tuple[tuple[str, str], ...]
    validation: str
    identifier: bool
    row: int

    @property
    def private(self) -> bool:
        """Whether the field identifies or contacts a person, and so is never imported."""
        return self.identifier or bool(_PRIVATE_VALIDATION.match(self.validation))


def reject_project_xml(data: bytes, filename: str) -> None:
    """Refuse REDCap project XML (CDISC ODM) with a message naming its line."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return
    text = data[:65536].decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), start=1):
        position = line.find("<ODM")
        if position >= 0:
            raise SurveyFileError(ODM_MESSAGE, filename, number, str(position + 1))
    raise SurveyFileError("this is an XML or HTML file, not a REDCap CSV export", filename, 1, "1")


def _head(source: Source) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source[:65536])
    if not source.seekable():
        return b""
    start = source.tell()
    head = source.read(65536)
    source.seek(start)
    return head


# -- Dictionary -------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Label text without HTML tags or entities, on one line."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", text))).strip()


def _short_header(cell: str) -> str:
    name = cell.strip().lower()
    return _LONG_HEADERS.get(name, name)


def parse_choices(text: str, filename: str, row: int) -> tuple[tuple[str, str], ...]:
    """Choices ``code, label | code, label`` split on each choice's first comma only."""
    choices: list[tuple[str, str]] = []
    for item in (piece.strip() for piece in text.split("|")):
        if not item:
            continue
        code, comma, label = item.partition(",")
        if not comma or not code.strip():
            raise SurveyFileError(
                f"the choice “{item}” should read “code, label”", filename, row, _CHOICES
            )
        choices.append((code.strip(), _clean(label)))
    return tuple(choices)


def read_redcap_dictionary(
    data: Source, filename: str = "dictionary.csv", *, limits: ReadLimits = DEFAULT_LIMITS
) -> list[RedcapField]:
    """The fields of a REDCap data dictionary CSV in either header spelling."""
    reject_project_xml(_head(data), filename)
    rows = read_csv_rows(data, filename, limits).rows
    if not rows:
        raise SurveyFileError("the data dictionary is empty", filename, 1)
    number, cells = rows[0]
    columns = [_short_header(cell) for cell in cells]
    for required in _REQUIRED:
        if required not in columns:
            raise SurveyFileError(
                "this is not a REDCap data dictionary: the column is missing",
                filename,
                number,
                required,
            )
    fields = [_dictionary_field(row, columns, filename) for row in rows[1:]]
    _check_unique(fields, filename)
    return fields


def _dictionary_field(row: Row, columns: list[str], filename: str) -> RedcapField:
    number, cells = row
    if len(cells) < len(_REQUIRED):
        raise SurveyFileError(
            f"row {number} has {len(cells)} columns, the header has {len(columns)}",
            filename,
            number,
        )
    values = dict(zip(columns, cells, strict=False))

    def value(name: str) -> str:
        text = values.get(name, "").strip()
        return "" if text == "NA" else text

    field_type = value("field_type").lower()
    if field_type not in _KNOWN_TYPES:
        raise SurveyFileError(f"unknown field type “{field_type}”", filename, number, "field_type")
    name = value("field_name")
    if not name:
        raise SurveyFileError("the field has no name", filename, number, "field_name")
    choices: tuple[tuple[str, str], ...] = _FIXED_CHOICES.get(field_type, ())
    if field_type in ("radio", "dropdown", "checkbox"):
        choices = parse_choices(value(_CHOICES), filename, number)
    return RedcapField(
        name=name,
        form=value("form_name"),
        section=_clean(value("section_header")),
        field_type=field_type,
        label=_clean(values.get("field_label", "")) or name,
        choices=choices,
        validation=value(_VALIDATION).lower(),
        identifier=value("identifier").lower() == "y",
        row=number,
    )


def _check_unique(fields: list[RedcapField], filename: str) -> None:
    seen: set[str] = set()
    for item in fields:
        if item.name in seen:
            raise SurveyFileError("this field name appears twice", filename, item.row, item.name)
        seen.add(item.name)
    if not fields:
        raise SurveyFileError("the data dictionary lists no fields", filename, 2)


def _is_likert(choices: tuple[tuple[str, str], ...]) -> bool:
    """Whether choices are a 5- or 7-point agreement or satisfaction scale, in either order."""
    if len(choices) not in (5, 7):
        return False
    ends = {choices[0][1].casefold(), choices[-1][1].casefold()}
    for negative, positive in (("disagree", "agree"), ("dissatisfied", "satisfied")):
        low = [end for end in ends if negative in end]
        high = [end for end in ends if positive in end and negative not in end]
        if len(low) == 1 and len(high) == 1:
            return True
    return False


def field_question(item: RedcapField, sections: dict[str, str]) -> QuestionRecord | None:
    """The question a dictionary field asks, or None when it is not an answer or is private."""
    if item.field_type in _IGNORED_TYPES or item.private:
        return None
    if item.section:
        sections[item.form] = item.section
    section = sections.get(item.form, item.form)
    kind = OPEN_TEXT
    if item.field_type == "slider" or _NUMBER_VALIDATION.match(item.validation):
        kind = NUMBER
    elif item.field_type == "checkbox":
        kind = MULTIPLE_CHOICE
    elif item.field_type in _CHOICE_TYPES:
        kind = LIKERT if _is_likert(item.choices) else SINGLE_CHOICE
    return QuestionRecord(item.name, item.label, kind, item.choices, section)


def dictionary_questions(fields: list[RedcapField]) -> list[QuestionRecord]:
    """The questions of a dictionary, without its record ID, private and non-answer fields."""
    sections: dict[str, str] = {}
    questions = [field_question(item, sections) for item in fields[1:]]
    return [question for question in questions if question is not None]


# -- Data -------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What each data column is for."""

    record_id: str
    questions: dict[str, QuestionRecord]
    forms: dict[str, str]
    simple: dict[str, str]  # column → question key
    boxes: dict[str, tuple[str, str]]  # column → (question key, code)
    context: dict[str, str]  # column → context name
    dropped: list[str]


def _box_code(code: str) -> str:
    """A checkbox code as REDCap spells it in a column name."""
    return re.sub(r"[^a-z0-9_]", "_", code.lower())


def _plan(header: list[str], fields: list[RedcapField], names: tuple[str, str]) -> _Plan:
    questions = {q.key: q for q in dictionary_questions(fields)}
    by_name = {item.name: item for item in fields}
    form_columns = {f"{item.form}_{end}" for item in fields for end in ("complete", "timestamp")}
    plan = _Plan(fields[0].name, questions, {f.name: f.form for f in fields}, {}, {}, {}, [])
    unknown: list[str] = []
    for column in header:
        if column == plan.record_id:
            continue
        if column in _CONTEXT_COLUMNS:
            plan.context[column] = _CONTEXT_COLUMNS[column]
        elif column in _DROPPED_SYSTEM or column in form_columns:
            plan.dropped.append(column)
        elif column in by_name:
            _plan_field(plan, column, column)
        elif not _plan_box(plan, column, by_name):
            unknown.append(column)
    if plan.record_id not in header:
        raise SurveyFileError(
            f"the data has no column for the record ID field “{plan.record_id}” that the "
            f"data dictionary {names[1]} starts with",
            names[0],
            1,
            plan.record_id,
        )
    _refuse_unknown(unknown, names)
    return plan


def _plan_field(plan: _Plan, column: str, key: str) -> None:
    if key in plan.questions and plan.questions[key].type != MULTIPLE_CHOICE:
        plan.simple[column] = key
    else:
        plan.dropped.append(column)


def _plan_box(plan: _Plan, column: str, by_name: dict[str, RedcapField]) -> bool:
    """Place a checkbox column ``name___code``; a code may itself start with ``_`` (``-1``)."""
    for match in re.finditer(r"(?=___)", column):
        name, code = column[: match.start()], column[match.start() + 3 :]
        item = by_name.get(name)
        if item is None or item.field_type != "checkbox":
            continue
        codes = {_box_code(choice): choice for choice, _ in item.choices}
        if _box_code(code) not in codes:
            continue
        if name in plan.questions:
            plan.boxes[column] = (name, codes[_box_code(code)])
        else:
            plan.dropped.append(column)
        return True
    return False


def _refuse_unknown(unknown: list[str], names: tuple[str, str]) -> None:
    if not unknown:
        return
    listed = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
    raise SurveyFileError(
        f"the data dictionary {names[1]} has no field for this column (columns without a "
        f"field: {listed}); is it the dictionary of this project, and was the data exported "
        "as raw values with variable names (not labels)?",
        names[0],
        1,
        unknown[0],
    )


def read_redcap(
    data: Source,
    dictionary: Source,
    *,
    data_name: str = "data.csv",
    dictionary_name: str = "dictionary.csv",
    limits: ReadLimits = DEFAULT_LIMITS,
) -> SurveyImport:
    """Responses from a REDCap data export CSV read with the project's data dictionary CSV."""
    fields = read_redcap_dictionary(dictionary, dictionary_name, limits=limits)
    reject_project_xml(_head(data), data_name)
    table = read_csv_rows(data, data_name, limits)
    if not table.rows:
        raise SurveyFileError("the data export is empty", data_name, 1)
    number, cells = table.rows[0]
    header = header_names(cells, data_name, number)
    plan = _plan(header, fields, (data_name, dictionary_name))
    used = set(plan.simple.values()) | {key for key, _ in plan.boxes.values()}
    questions = [q for q in dictionary_questions(fields) if q.key in used]
    result = SurveyImport(FORMAT, questions, [], warnings=table.warnings)
    result.dropped_columns = plan.dropped
    for row in table.rows[1:]:
        issue = ragged_issue(row[0], row[1], len(header))
        if issue:
            result.errors.append(issue)
        else:
            result.responses.append(_response(row, header, plan, result.errors))
    return result


def _response(
    row: Row, header: list[str], plan: _Plan, errors: list[ImportIssue]
) -> ResponseRecord:
    number, cells = row
    values = dict(zip(header, cells, strict=False))
    context = {name: values[c].strip() for c, name in plan.context.items() if values[c].strip()}
    form = context.get("repeat_instrument")
    answers: dict[str, AnswerValue] = {}
    for column, key in plan.simple.items():
        text = values[column]
        if text.strip() and (form is None or plan.forms[key] == form):
            try:
                answers[key] = answer_value(plan.questions[key], text)
            except ValueError as error:
                errors.append(ImportIssue(number, column, str(error)))
    answers.update(_checkboxes(number, values, plan, form, errors))
    respondent = values[plan.record_id].strip() or None
    if respondent is None:
        errors.append(ImportIssue(number, plan.record_id, "the record ID is blank"))
    ordered = {q: answers[q] for q in plan.questions if q in answers}
    return ResponseRecord(number, respondent, ordered, context)


def _checkboxes(
    number: int,
    values: dict[str, str],
    plan: _Plan,
    form: str | None,
    errors: list[ImportIssue],
) -> dict[str, AnswerValue]:
    ticked: dict[str, list[str]] = {}
    for column, (key, code) in plan.boxes.items():
        text = values[column].strip().lower()
        if form is not None and plan.forms[key] != form:
            continue
        if text in _CHECKED:
            ticked.setdefault(key, []).append(code)
        elif text not in _UNCHECKED:
            errors.append(ImportIssue(number, column, f"“{text}” is neither 1 (ticked) nor 0"))
    return {key: _in_choice_order(plan.questions[key], codes) for key, codes in ticked.items()}


def _in_choice_order(question: QuestionRecord, codes: list[str]) -> tuple[str, ...]:
    return tuple(code for code, _ in question.choices if code in codes)
