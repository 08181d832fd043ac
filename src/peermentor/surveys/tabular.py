"""Generic survey tables (CSV or XLSX): hardened reading, inspection and a column-mapping import.

Pure module: no Django import. The hardened row readers here are shared by the REDCap and
Qualtrics readers, so every survey file meets the same defences, in this order:

1. the size cap (``ReadLimits.max_bytes``), before anything is parsed;
2. a look at the first bytes: zip or Excel workbooks, old ``.xls``, XML and binary files are
   refused with a message saying what the file is;
3. UTF-8 (with or without a byte-order mark, or UTF-16 with one); other bytes are read again as
   Windows-1252 with a warning, or refused when they are not that either;
4. rows are parsed one at a time and the row cap stops the read at the first row past it, so a
   file of a million rows is refused without holding a million rows;
5. no cell may pass ``ReadLimits.max_cell_chars``; ``csv.field_size_limit`` is process-wide and
   is never changed here, so a cap above it is met by the csv module's own limit;
6. a formula such as ``=HYPERLINK(...)`` stays the text it is: XLSX is opened with formulas as
   text (never the cached or computed value) and nothing is ever evaluated;
7. an XLSX with macros inside (``vbaProject.bin``) or that unpacks to more than five times the
   size cap is refused; openpyxl parses the workbook's XML through defusedxml when it is
   installed, and only in read-only mode, one row at a time.

Rows are numbered as a spreadsheet shows them: the header is row 1 and blank rows count.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import BinaryIO, Literal

from peermentor.surveys.records import (
    CHOICE_TYPES,
    DEFAULT_LIMITS,
    MULTIPLE_CHOICE,
    NUMBER,
    OPEN_TEXT,
    AnswerValue,
    ImportIssue,
    QuestionRecord,
    ReadLimits,
    ResponseRecord,
    SurveyFileError,
    SurveyImport,
)

Source = bytes | BinaryIO
Row = tuple[int, list[str]]
ColumnRole = QuestionRecord | Literal["respondent", "ignore"]

SAMPLE_SIZE = 5
_SNIFF_BYTES = 4096
_CHUNK = 64 * 1024
_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb")
_OLD_EXCEL_SUFFIXES = (".xls", ".xlt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A workbook may unpack to this many times the size cap; more is a zip bomb, not a survey.
_MAX_UNPACK_RATIO = 5
_NUMBER = re.compile(r"^[+-]?(\d+)(?:[.,](\d+))?$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class TableInfo:
    """What a table holds, for the column-mapping step: its header, a few rows and the count."""

    columns: list[str]
    sample_rows: list[list[str]]
    row_count: int


@dataclass
class CsvRows:
    """The parsed records of a text table, and warnings about how it was decoded."""

    rows: list[Row]
    warnings: list[str]


class _NotUtf8(Exception):
    """The bytes are not UTF-8; the caller reads them again as Windows-1252."""


class _CappedReader(io.RawIOBase):
    """A binary stream that refuses to deliver more than the size cap allows."""

    def __init__(self, source: BinaryIO, prefix: bytes, limit: int, filename: str) -> None:
        super().__init__()
        self._source = source
        self._prefix = prefix
        self._left = limit - len(prefix)
        self._filename = filename

    def readable(self) -> bool:
        """Always true: this is a reader."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill the buffer from the prefix, then the source, within the cap."""
        if self._prefix:
            count = min(len(buffer), len(self._prefix))
            buffer[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        chunk = self._source.read(min(len(buffer), _CHUNK))
        self._left -= len(chunk)
        if self._left < 0:
            raise _size_error(self._filename, None)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _size_error(filename: str, limit: int | None) -> SurveyFileError:
    cap = f" of {limit // (1024 * 1024)} MB" if limit else ""
    return SurveyFileError(f"the file is larger than the size cap{cap}", filename)


def _check_size(source: Source, filename: str, limits: ReadLimits) -> None:
    """Refuse a file over the size cap before reading any of it, when its size is known."""
    if isinstance(source, bytes | bytearray):
        size = len(source)
    elif source.seekable():
        start = source.tell()
        size = source.seek(0, io.SEEK_END) - start
        source.seek(start)
    else:
        return
    if size > limits.max_bytes:
        raise _size_error(filename, limits.max_bytes)


def read_all_bytes(source: Source, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The whole file as bytes, refusing it if it passes the size cap."""
    _check_size(source, filename, limits)
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    data = source.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _size_error(filename, limits.max_bytes)
    return data


def _describe_binary(head: bytes) -> str | None:
    """Why the first bytes show a file that is not a text table, or None when they look fine."""
    if head.startswith(_ZIP_MAGIC):
        return "this is a zip file or an Excel workbook, not CSV; upload it as .xlsx"
    if head.startswith(_OLE_MAGIC):
        return (
            "this is an old Excel .xls or a password-protected workbook; "
            "save it as .xlsx or CSV without a password"
        )
    if head.startswith(_UTF16_BOMS):
        return None
    if b"\x00" in head:
        return "this is a binary file, not a CSV table"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "this is an XML or HTML file, not a CSV table"
    return None


def _open_stream(source: Source, filename: str, limits: ReadLimits) -> tuple[BinaryIO, bytes]:
    """A capped binary stream over the source and its first bytes, for sniffing."""
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source), bytes(source[:_SNIFF_BYTES])
    head = source.read(_SNIFF_BYTES)
    raw = _CappedReader(source, head, limits.max_bytes, filename)
    return io.BufferedReader(raw, _CHUNK), head


def _encoding_for(head: bytes) -> str:
    return "utf-16" if head.startswith(_UTF16_BOMS) else "utf-8-sig"


def read_csv_rows(
    source: Source,
    filename: str,
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    header_rows: int = 1,
    delimiter: str | None = ",",
) -> CsvRows:
    """Every non-blank record of a CSV file, under the caps; ``delimiter=None`` guesses it."""
    _check_size(source, filename, limits)
    start = None if isinstance(source, bytes | bytearray) else _tell(source)
    stream, head = _open_stream(source, filename, limits)
    problem = _describe_binary(head)
    if problem:
        raise SurveyFileError(problem, filename, 1)
    encoding = _encoding_for(head)
    try:
        return CsvRows(_parse(stream, encoding, filename, limits, header_rows, delimiter), [])
    except _NotUtf8:
        if start is None and not isinstance(source, bytes | bytearray):
            raise SurveyFileError(
                "the file is not UTF-8 text; save it as CSV UTF-8", filename
            ) from None
    if start is not None:
        source.seek(start)  # type: ignore[union-attr]
    stream, _ = _open_stream(source, filename, limits)
    rows = _parse(stream, "cp1252", filename, limits, header_rows, delimiter)
    warning = (
        f"{filename} is not UTF-8; it was read as Windows-1252 (Western European). "
        "Check accented letters, or save the file as CSV UTF-8 and import it again."
    )
    return CsvRows(rows, [warning])


def _tell(source: BinaryIO) -> int | None:
    return source.tell() if source.seekable() else None


def _parse(
    stream: BinaryIO,
    encoding: str,
    filename: str,
    limits: ReadLimits,
    header_rows: int,
    delimiter: str | None,
) -> list[Row]:
    """Decode and parse the stream, stopping at the first row past the row cap."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        return _collect(text, filename, limits, header_rows, delimiter)
    except UnicodeDecodeError as error:
        if encoding == "utf-8-sig":
            raise _NotUtf8 from error
        raise SurveyFileError(
            f"the file is neither UTF-8 nor Windows-1252 text ({error.reason}); save it as "
            "CSV UTF-8",
            filename,
        ) from error


def _collect(
    text: io.TextIOWrapper,
    filename: str,
    limits: ReadLimits,
    header_rows: int,
    delimiter: str | None,
) -> list[Row]:
    first = text.readline()
    if delimiter is None:
        delimiter = _guess_delimiter(first)
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    number = 0
    while True:
        number += 1
        cells = _next_record(reader, filename, number)
        if cells is None:
            return rows
        _check_row_cap(number, filename, limits, header_rows)
        if any(cell.strip() for cell in cells):
            _check_cells(cells, filename, number, limits)
            rows.append((number, cells))


def _check_row_cap(number: int, filename: str, limits: ReadLimits, header_rows: int) -> None:
    """Refuse the file at the first row past the cap; blank rows count, as a spreadsheet shows."""
    if number > limits.max_rows + header_rows:
        raise SurveyFileError(
            f"the file has more than {limits.max_rows:,} rows; split it into smaller files",
            filename,
            number,
        )


def _guess_delimiter(first: str) -> str:
    """Comma, semicolon or tab: whichever the header line holds most of (a comma on a tie)."""
    counts = {mark: first.count(mark) for mark in (",", ";", "\t")}
    return max(counts, key=lambda mark: (counts[mark], mark == ","))


def _next_record(reader: Iterator[list[str]], filename: str, number: int) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as error:
        message = str(error)
        if "field limit" in message or "field larger" in message:
            message = f"a cell is longer than {csv.field_size_limit():,} characters"
        raise SurveyFileError(f"the CSV is malformed here: {message}", filename, number) from error


def _check_cells(cells: list[str], filename: str, number: int, limits: ReadLimits) -> None:
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell_chars:
            raise SurveyFileError(
                f"a cell is longer than {limits.max_cell_chars:,} characters",
                filename,
                number,
                column_letter(index),
            )


def column_letter(index: int) -> str:
    """The spreadsheet letter of a zero-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def ragged_issue(number: int, cells: list[str], width: int) -> ImportIssue | None:
    """An issue when a row is shorter than the header or has values past its last column."""
    if len(cells) < width or any(cell.strip() for cell in cells[width:]):
        return ImportIssue(
            number, None, f"row {number} has {len(cells)} columns, the header has {width}"
        )
    return None


# -- XLSX -------------------------------------------------------------------------------------


def _refuse_workbook_suffix(filename: str) -> None:
    lowered = filename.lower()
    if lowered.endswith(_MACRO_SUFFIXES):
        raise SurveyFileError(
            "macro-enabled or binary workbooks are refused; save the sheet as .xlsx or CSV",
            filename,
        )
    if lowered.endswith(_OLD_EXCEL_SUFFIXES):
        raise SurveyFileError("old Excel .xls files are not read; save it as .xlsx", filename)


def _check_workbook_archive(data: bytes, filename: str, limits: ReadLimits) -> None:
    """Refuse a workbook with macros inside, or one that unpacks to far more than the cap."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise SurveyFileError("the workbook is damaged or not .xlsx", filename) from error
    with archive:
        infos = archive.infolist()
        names = [info.filename.lower() for info in infos]
        if any(name.endswith("vbaproject.bin") for name in names):
            raise SurveyFileError(
                "the workbook contains macros; save it as a plain .xlsx", filename
            )
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limits.max_bytes * _MAX_UNPACK_RATIO:
            raise SurveyFileError(
                "the workbook unpacks to far more than the size cap (a zip bomb?)", filename
            )


def read_xlsx_rows(
    source: Source, filename: str, limits: ReadLimits = DEFAULT_LIMITS, *, header_rows: int = 1
) -> list[Row]:
    """Every non-blank row of the first sheet of an .xlsx workbook, as text, under the caps."""
    _refuse_workbook_suffix(filename)
    data = read_all_bytes(source, filename, limits)
    if not data.startswith(_ZIP_MAGIC):
        raise SurveyFileError(_describe_binary(data[:_SNIFF_BYTES]) or "not .xlsx", filename, 1)
    _check_workbook_archive(data, filename, limits)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise SurveyFileError(f"the workbook cannot be read ({error})", filename) from error
    try:
        return _sheet_rows(workbook.worksheets[0], filename, limits, header_rows)
    except SurveyFileError:
        raise
    except Exception as error:  # a damaged sheet fails only when its rows are read
        raise SurveyFileError(f"the workbook cannot be read ({error})", filename) from error
    finally:
        workbook.close()


def _sheet_rows(sheet: object, filename: str, limits: ReadLimits, header_rows: int) -> list[Row]:
    rows: list[Row] = []
    values_by_row = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    for number, values in enumerate(values_by_row, start=1):
        _check_row_cap(number, filename, limits, header_rows)
        cells = [cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            _check_cells(cells, filename, number, limits)
            rows.append((number, cells))
    return rows


def cell_text(value: object) -> str:
    """The text of a spreadsheet cell value: formulas stay their text, whole floats lose ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# -- Either kind ------------------------------------------------------------------------------


def _is_workbook(source: Source, filename: str) -> bool:
    lowered = filename.lower()
    if lowered.endswith((".xlsx", ".xltx", *_MACRO_SUFFIXES, *_OLD_EXCEL_SUFFIXES)):
        return True
    if isinstance(source, bytes | bytearray):
        return bytes(source[:4]) == _ZIP_MAGIC
    return False


def read_table_rows(source: Source, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> CsvRows:
    """The rows of a CSV (any of comma, semicolon, tab) or XLSX table, chosen by name or content."""
    if _is_workbook(source, filename):
        return CsvRows(read_xlsx_rows(source, filename, limits), [])
    return read_csv_rows(source, filename, limits, delimiter=None)


def header_names(cells: list[str], filename: str, row: int = 1) -> list[str]:
    """Column names from a header row: blanks get their letter, a repeated name is refused."""
    names: list[str] = []
    for index, cell in enumerate(cells):
        name = cell.strip() or f"Column {column_letter(index)}"
        if name in names:
            raise SurveyFileError(
                "two columns have this name; rename one so every column is unique",
                filename,
                row,
                name,
            )
        names.append(name)
    return names


def _table(source: Source, filename: str, limits: ReadLimits) -> tuple[list[str], CsvRows]:
    table = read_table_rows(source, filename, limits)
    if not table.rows:
        raise SurveyFileError("the file is empty: no header row", filename, 1)
    number, cells = table.rows[0]
    return header_names(cells, filename, number), table


def inspect(data: Source, filename: str, *, limits: ReadLimits = DEFAULT_LIMITS) -> TableInfo:
    """The columns, first few rows and row count of a CSV or XLSX table, for mapping columns."""
    columns, table = _table(data, filename, limits)
    body = table.rows[1:]
    samples = [_fit(cells, len(columns)) for _, cells in body[:SAMPLE_SIZE]]
    return TableInfo(columns=columns, sample_rows=samples, row_count=len(body))


def _fit(cells: list[str], width: int) -> list[str]:
    return (cells + [""] * width)[:width]


def read_mapped(
    data: Source,
    filename: str,
    mapping: dict[str, ColumnRole],
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> SurveyImport:
    """Responses from a CSV or XLSX table whose columns are mapped to questions (or ignored)."""
    columns, table = _table(data, filename, limits)
    _check_mapping(mapping, columns, filename)
    kind = "xlsx" if _is_workbook(data, filename) else "csv"
    result = SurveyImport(kind, _mapped_questions(mapping, columns), [], warnings=table.warnings)
    result.dropped_columns = [c for c in columns if not isinstance(mapping.get(c), QuestionRecord)]
    for number, cells in table.rows[1:]:
        issue = ragged_issue(number, cells, len(columns))
        if issue:
            result.errors.append(issue)
            continue
        result.responses.append(_mapped_response(number, cells, columns, mapping, result.errors))
    return result


def _check_mapping(mapping: dict[str, ColumnRole], columns: list[str], filename: str) -> None:
    for column, role in mapping.items():
        if column not in columns:
            raise SurveyFileError("the mapping names a column the file lacks", filename, 1, column)
        if not isinstance(role, QuestionRecord) and role not in ("respondent", "ignore"):
            raise SurveyFileError(f"unknown column role {role!r}", filename, 1, column)
    respondents = [column for column, role in mapping.items() if role == "respondent"]
    if len(respondents) > 1:
        raise SurveyFileError(
            "only one column may hold the respondent", filename, 1, ", ".join(respondents)
        )
    keys = [role.key for role in mapping.values() if isinstance(role, QuestionRecord)]
    if len(keys) != len(set(keys)):
        raise SurveyFileError("two columns are mapped to the same question key", filename, 1)


def _mapped_questions(mapping: dict[str, ColumnRole], columns: list[str]) -> list[QuestionRecord]:
    roles = [mapping.get(column) for column in columns]
    return [role for role in roles if isinstance(role, QuestionRecord)]


def _mapped_response(
    number: int,
    cells: list[str],
    columns: list[str],
    mapping: dict[str, ColumnRole],
    errors: list[ImportIssue],
) -> ResponseRecord:
    respondent: str | None = None
    answers: dict[str, AnswerValue] = {}
    for column, cell in zip(columns, cells, strict=False):
        role = mapping.get(column, "ignore")
        if role == "respondent":
            respondent = cell.strip() or None
        elif isinstance(role, QuestionRecord) and cell.strip():
            try:
                answers[role.key] = answer_value(role, cell)
            except ValueError as error:
                errors.append(ImportIssue(number, column, str(error)))
    return ResponseRecord(number, respondent, answers)


# -- Answer values ----------------------------------------------------------------------------


def parse_number(text: str) -> int | float | None:
    """A number from text such as ``12``, ``-3.5`` or ``1,54`` (decimal comma), else None."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    if match.group(2) is None:
        return int(match.group(0))
    return float(match.group(0).replace(",", "."))


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def match_choice(question: QuestionRecord, text: str) -> str | None:
    """The choice code that a cell names by its code or its label, or None when none matches."""
    wanted = text.strip()
    if not question.choices:
        return wanted or None
    for code, _label in question.choices:
        if code == wanted:
            return code
    folded = _normal(wanted)
    for code, label in question.choices:
        if _normal(label) == folded or code.casefold() == folded:
            return code
    return None


def _multiple(question: QuestionRecord, text: str) -> tuple[str, ...]:
    whole = match_choice(question, text) if question.choices else None
    if whole is not None:
        return (whole,)
    separator = ";" if ";" in text else "|" if "|" in text else ","
    codes: list[str] = []
    for part in (piece for piece in text.split(separator) if piece.strip()):
        code = match_choice(question, part)
        if code is None:
            raise ValueError(f"“{part.strip()}” is not one of the choices")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def answer_value(question: QuestionRecord, text: str) -> AnswerValue:
    """The answer a non-blank cell gives to a question, or ValueError saying what is wrong."""
    if question.type == OPEN_TEXT:
        return text.strip()
    if question.type == NUMBER:
        number = parse_number(text)
        if number is None:
            raise ValueError(f"“{text.strip()}” is not a number")
        return number
    if question.type == MULTIPLE_CHOICE:
        return _multiple(question, text)
    if question.type in CHOICE_TYPES:
        code = match_choice(question, text)
        if code is None:
            raise ValueError(f"“{text.strip()}” is not one of the choices")
        return code
    raise ValueError(f"unknown question type {question.type!r}")  # pragma: no cover
