"""Spreadsheet exports: formula-injection neutralisation, CSV with a BOM, write-only XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from peermentor.core.spreadsheets import (
    FORMULA_STARTS,
    neutralise_cell,
    sheet_title,
    write_csv,
    write_xlsx,
)

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "+1-1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_text_gets_an_apostrophe(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [-3, 0, 2.5, -2.5, Decimal("-1.10"), True, None, dt.date(2024, 1, 2), "", "plain", " =x"],
)
def test_numbers_blanks_dates_and_plain_text_are_unchanged(value: object) -> None:
    assert neutralise_cell(value) == value
    assert type(neutralise_cell(value)) is type(value)


def test_csv_has_a_bom_crlf_and_neutralised_cells() -> None:
    data = write_csv([["=1+1", -3, None, "Zoë, “quoted”"]], ["@name", "n", "blank", "text"])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'@name", "n", "blank", "text"], ["'=1+1", "-3", "", "Zoë, “quoted”"]]


def test_xlsx_writes_text_as_text_and_numbers_as_numbers() -> None:
    data = write_xlsx(
        [["=1+1", -3, 2.5, "ok\x01!", dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)]],
        ["+name", "n", "x", "text", "when"],
        "Answers: wave [1]?",
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "Answers  wave  1"
    header, row = list(sheet.iter_rows())
    assert [cell.value for cell in header] == ["'+name", "n", "x", "text", "when"]
    assert [cell.value for cell in row[:4]] == ["'=1+1", -3, 2.5, "ok!"]
    assert row[4].value == dt.datetime(2024, 5, 1, 12, 0)  # noqa: DTZ001 - Excel keeps no zone
    assert row[0].data_type == "s"
    assert all(cell.data_type != "f" for cell in (*header, *row))


def test_sheet_titles_are_cut_and_cleaned() -> None:
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("[]:*?/\\") == "Sheet1"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_every_neutralised_string_is_safe(text: str) -> None:
    safe = neutralise_cell(text)
    assert isinstance(safe, str)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (text, "'" + text)


@given(st.integers() | st.floats(allow_nan=False) | st.decimals(allow_nan=False))
def test_numbers_stay_numbers(number: int | float | Decimal) -> None:
    assert neutralise_cell(number) == number


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.text(max_size=20) | st.integers(), min_size=2, max_size=2), max_size=5))
def test_no_written_cell_starts_a_formula(rows: list[list[object]]) -> None:
    text = write_csv(rows, ["a", "b"]).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline="")):
        assert not any(cell.startswith(("=", "+", "@")) for cell in row)
    book = load_workbook(io.BytesIO(write_xlsx(rows, ["a", "b"], "s")))
    for row in book.active.iter_rows():
        assert all(cell.data_type != "f" for cell in row)
