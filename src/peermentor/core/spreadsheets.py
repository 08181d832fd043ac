"""CSV and XLSX exports that a spreadsheet cannot mistake for formulas.

Pure module: no Django import. OWASP's rule against CSV (formula) injection: a cell whose text
starts with ``=``, ``+``, ``-`` or ``@``, a tab (0x09) or a carriage return (0x0D) may run as a
formula when the file is opened in Excel, LibreOffice or Google Sheets, so such text gets a
leading apostrophe and is shown as text. Numbers, dates and blanks stay what they are, so a
negative number is still a number. Every cell of every export goes through
:func:`neutralise_cell`, header included.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
Cell = str | int | float | Decimal | bool | dt.date | dt.datetime | dt.time | None

# Characters XML 1.0 forbids, which openpyxl refuses to write.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LENGTH = 31


def neutralise_cell(value: Cell) -> Cell:
    """The value, with an apostrophe before text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _row(values: Iterable[Cell]) -> list[Cell]:
    return [neutralise_cell(value) for value in values]


def write_csv(rows: Iterable[Sequence[Cell]], header: Sequence[Cell]) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark so Excel reads accents; cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_row(header))
    for row in rows:
        writer.writerow(_row(row))
    return (BOM + buffer.getvalue()).encode("utf-8")


def sheet_title(name: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = _SHEET_NAME_FORBIDDEN.sub(" ", name).strip().strip("'")
    return cleaned[:_SHEET_NAME_LENGTH] or "Sheet1"


def _xlsx_cell(value: Cell) -> Cell:
    value = neutralise_cell(value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: write the UTC time.
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def write_xlsx(rows: Iterable[Sequence[Cell]], header: Sequence[Cell], sheet_name: str) -> bytes:
    """An .xlsx workbook of one sheet, written row by row, every cell neutralised."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(sheet_name))

    def cells(values: Iterable[Cell]) -> list[WriteOnlyCell]:
        written = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even if it looked like a formula to openpyxl
            written.append(cell)
        return written

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
