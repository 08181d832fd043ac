"""Generic CSV and XLSX tables: inspection, mapped imports and every hostile-input defence."""

from __future__ import annotations

import contextlib
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from peermentor.surveys.records import (
    LIKERT,
    MULTIPLE_CHOICE,
    NUMBER,
    OPEN_TEXT,
    QuestionRecord,
    ReadLimits,
    SurveyFileError,
)
from peermentor.surveys.tabular import (
    answer_value,
    column_letter,
    inspect,
    parse_number,
    read_csv_rows,
    read_mapped,
)

HELPED = QuestionRecord("helped", "What helped?", OPEN_TEXT)
RATING = QuestionRecord(
    "rating",
    "Overall",
    LIKERT,
    (("1", "Poor"), ("2", "Fair"), ("3", "Good"), ("4", "Very good"), ("5", "Excellent")),
)
BARRIERS = QuestionRecord(
    "barriers",
    "Barriers",
    MULTIPLE_CHOICE,
    (("clinical", "Clinical duties, on call"), ("teaching", "Teaching"), ("family", "Family")),
)
HOURS = QuestionRecord("hours", "Hours", NUMBER)
CSV = (
    b"Name,Email,Helped,Rating,Barriers,Hours\n"
    b'Ann,ann@x.org,"Peers, and time",Good,"Clinical duties, on call",2\n'
    b'Bo,bo@x.org,Deadlines,5,teaching;family,"1,5"\n'
    b"\n"
    b"Cy,cy@x.org,,,,\n"
)
MAPPING = {
    "Name": "respondent",
    "Email": "ignore",
    "Helped": HELPED,
    "Rating": RATING,
    "Barriers": BARRIERS,
    "Hours": HOURS,
}


def workbook(rows: list[list[object]], *, title: str = "Answers") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class EndlessRows(io.RawIOBase):
    """A CSV of a million rows made on demand, counting how many bytes were asked for."""

    def __init__(self, rows: int = 1_000_000) -> None:
        super().__init__()
        self.rows = rows
        self.made = 0
        self.delivered = 0
        self.pending = b"respondent,answer\n"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while len(self.pending) < len(buffer) and self.made < self.rows:
            self.pending += b"".join(b"%d,fine\n" % (self.made + n) for n in range(1000))
            self.made += 1000
        count = min(len(buffer), len(self.pending))
        buffer[:count] = self.pending[:count]
        self.pending = self.pending[count:]
        self.delivered += count
        return count

    @property
    def total(self) -> int:
        return sum(len(b"%d,fine\n" % n) for n in range(self.rows))


# -- Inspecting and mapping -------------------------------------------------------------------


def test_inspect_csv_shows_columns_samples_and_count() -> None:
    info = inspect(CSV, "answers.csv")
    assert info.columns == ["Name", "Email", "Helped", "Rating", "Barriers", "Hours"]
    assert info.row_count == 3
    assert info.sample_rows[0][2] == "Peers, and time"
    assert info.sample_rows[2] == ["Cy", "cy@x.org", "", "", "", ""]


def test_read_mapped_converts_labels_codes_lists_and_numbers() -> None:
    result = read_mapped(CSV, "answers.csv", MAPPING)
    assert result.format == "csv"
    assert [q.key for q in result.questions] == ["helped", "rating", "barriers", "hours"]
    first, second, third = result.responses
    assert first.row == 2
    assert first.respondent_key == "Ann"
    assert first.answers == {
        "helped": "Peers, and time",
        "rating": "3",
        "barriers": ("clinical",),
        "hours": 2,
    }
    assert second.answers["barriers"] == ("teaching", "family")
    assert second.answers["hours"] == 1.5
    assert third.row == 5
    assert third.answers == {}
    assert result.dropped_columns == ["Name", "Email"]
    assert "ann@x.org" not in repr(result)


def test_unmapped_columns_are_ignored_and_bad_values_reported() -> None:
    data = b"Helped,Rating,Hours\nx,Superb,many\n"
    result = read_mapped(data, "a.csv", {"Rating": RATING, "Hours": HOURS})
    assert result.dropped_columns == ["Helped"]
    assert [(e.row, e.column) for e in result.errors] == [(2, "Rating"), (2, "Hours")]
    assert "“Superb” is not one of the choices" in str(result.errors[0])


@pytest.mark.parametrize(
    ("mapping", "column"),
    [
        ({"Nope": HELPED}, "Nope"),
        ({"Name": "respondent", "Email": "respondent"}, "Name, Email"),
        ({"Name": "maybe"}, "Name"),
    ],
)
def test_bad_mappings_are_refused(mapping: dict[str, object], column: str) -> None:
    with pytest.raises(SurveyFileError) as caught:
        read_mapped(CSV, "answers.csv", mapping)
    assert caught.value.column == column


def test_two_columns_for_one_question_are_refused() -> None:
    with pytest.raises(SurveyFileError, match="same question key"):
        read_mapped(CSV, "answers.csv", {"Helped": HELPED, "Email": HELPED})


def test_semicolon_and_tab_tables_are_recognised() -> None:
    semicolon = inspect(b"Helped;Hours\nTime, mostly;2,5\n", "excel-de.csv")
    assert semicolon.columns == ["Helped", "Hours"]
    assert semicolon.sample_rows == [["Time, mostly", "2,5"]]
    assert inspect(b"a\tb\n1\t2\n", "t.tsv").columns == ["a", "b"]


def test_blank_and_repeated_headers() -> None:
    assert inspect(b"a,,c\n1,2,3\n", "a.csv").columns == ["a", "Column B", "c"]
    with pytest.raises(SurveyFileError, match="two columns have this name") as caught:
        inspect(b"a,b,a\n", "a.csv")
    assert caught.value.column == "a"


# -- XLSX -------------------------------------------------------------------------------------


def test_xlsx_reads_like_csv_and_keeps_formulas_as_text() -> None:
    data = workbook(
        [
            ["Name", "Helped", "Rating", "Hours"],
            ["Ann", '=HYPERLINK("http://evil.example","click")', "Good", 2.0],
            [None, None, None, None],
            ["Bo", "Peers", 5, 1.5],
        ]
    )
    info = inspect(data, "answers.xlsx")
    assert info.columns == ["Name", "Helped", "Rating", "Hours"]
    assert info.row_count == 2
    result = read_mapped(
        data,
        "answers.xlsx",
        {"Name": "respondent", "Helped": HELPED, "Rating": RATING, "Hours": HOURS},
    )
    assert result.format == "xlsx"
    assert result.responses[0].answers == {
        "helped": '=HYPERLINK("http://evil.example","click")',
        "rating": "3",
        "hours": 2,
    }
    assert result.responses[1].row == 4
    assert result.responses[1].answers == {"helped": "Peers", "rating": "5", "hours": 1.5}


@pytest.mark.parametrize("name", ["answers.xlsm", "answers.xltm", "answers.xlsb", "answers.xlam"])
def test_macro_enabled_names_are_refused(name: str) -> None:
    with pytest.raises(SurveyFileError, match="macro-enabled"):
        inspect(workbook([["a"], ["1"]]), name)


def workbook_parts() -> dict[str, bytes]:
    """The files inside a small valid workbook."""
    with zipfile.ZipFile(io.BytesIO(workbook([["a"], ["1"]]))) as original:
        return {name: original.read(name) for name in original.namelist()}


def repack(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_macros_inside_an_xlsx_are_refused() -> None:
    parts = workbook_parts()
    parts["xl/vbaProject.bin"] = b"\x00" * 64
    with pytest.raises(SurveyFileError, match="contains macros"):
        inspect(repack(parts), "innocent.xlsx")


def test_old_xls_and_damaged_workbooks_are_refused() -> None:
    with pytest.raises(SurveyFileError, match="old Excel"):
        inspect(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls")
    with pytest.raises(SurveyFileError, match="old Excel"):
        inspect(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "renamed.csv")
    with pytest.raises(SurveyFileError, match="damaged"):
        inspect(b"PK\x03\x04 not really a zip", "broken.xlsx")
    with pytest.raises(SurveyFileError, match=r"not \.xlsx"):
        inspect(b"a,b\n1,2\n", "misnamed.xlsx")


def test_zip_bomb_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * 3_000_000)
    with pytest.raises(SurveyFileError, match="unpacks to far more"):
        inspect(buffer.getvalue(), "bomb.xlsx", limits=ReadLimits(max_bytes=500_000))


def test_xlsx_row_cap() -> None:
    rows: list[list[object]] = [["a"]]
    rows.extend([n] for n in range(30))
    data = workbook(rows)
    with pytest.raises(SurveyFileError, match="more than 20 rows") as caught:
        inspect(data, "a.xlsx", limits=ReadLimits(max_rows=20))
    assert caught.value.row == 22


# -- Hostile CSV ------------------------------------------------------------------------------


def test_million_row_stream_is_refused_early_without_reading_it_all() -> None:
    stream = EndlessRows()
    with pytest.raises(SurveyFileError, match="more than 100,000 rows") as caught:
        inspect(stream, "million.csv")
    assert caught.value.row == 100_002
    assert stream.made < 200_000
    assert stream.delivered < stream.total / 5


def test_million_row_bytes_are_refused_by_the_row_cap() -> None:
    data = b"respondent,answer\n" + b"1,ok\n" * 1_000_000
    with pytest.raises(SurveyFileError, match="split it into smaller files"):
        read_mapped(data, "million.csv", {"answer": HELPED})


def test_size_cap_is_checked_first_for_bytes_and_streams() -> None:
    limits = ReadLimits(max_bytes=1000)
    with pytest.raises(SurveyFileError, match="larger than the size cap"):
        inspect(b"\x00" * 2000, "big.csv", limits=limits)  # binary, but too big first
    stream = EndlessRows(rows=10_000)
    with pytest.raises(SurveyFileError, match="larger than the size cap"):
        inspect(stream, "big.csv", limits=limits)
    assert stream.delivered < 100_000
    with pytest.raises(SurveyFileError, match="larger than the size cap"):
        inspect(io.BytesIO(b"a\n" * 1000), "big.csv", limits=limits)


def test_huge_field_is_refused_with_row_and_column() -> None:
    data = b"a,b\n1,2\n3," + b"x" * 100_001 + b"\n"
    with pytest.raises(SurveyFileError, match="longer than 100,000 characters") as caught:
        inspect(data, "huge.csv")
    assert (caught.value.row, caught.value.column) == (3, "B")


def test_field_past_the_csv_module_limit_is_refused() -> None:
    data = b'a\n"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(SurveyFileError, match="longer than") as caught:
        inspect(data, "huge.csv", limits=ReadLimits(max_cell_chars=500_000))
    assert caught.value.row == 2


def test_unclosed_quote_is_reported() -> None:
    with pytest.raises(SurveyFileError, match="malformed"):
        inspect(b'a,b\n1,"never closed\n2,3\n', "quote.csv")


def test_ragged_rows_are_reported_with_numbers() -> None:
    data = b"a,b,c\n1,2,3\n1,2\n1,2,3,4\n1,2,3,,\n"
    result = read_mapped(data, "r.csv", {"a": HELPED})
    assert [str(e) for e in result.errors] == [
        "row 3: row 3 has 2 columns, the header has 3",
        "row 4: row 4 has 4 columns, the header has 3",
    ]
    assert [r.row for r in result.responses] == [2, 5]


def test_latin1_is_read_as_windows_1252_with_a_warning() -> None:
    data = 'Helped\n"Café, “naïve” talks"\n'.encode("cp1252")
    result = read_mapped(data, "latin.csv", {"Helped": HELPED})
    assert result.responses[0].answers["helped"] == "Café, “naïve” talks"
    assert "latin.csv is not UTF-8" in result.warnings[0]


class OneWay(io.RawIOBase):
    """A stream that cannot be rewound, like a network upload."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        return self.data.readinto(buffer)


def test_latin1_streams_fall_back_when_they_can_be_rewound() -> None:
    data = "Helped\nCafé\n".encode("cp1252")
    assert inspect(io.BytesIO(data), "latin.csv").sample_rows == [["Café"]]
    with pytest.raises(SurveyFileError, match="not UTF-8 text"):
        inspect(OneWay(data), "latin.csv")
    assert inspect(OneWay(b"Helped\nCaf\xc3\xa9\n"), "u.csv").sample_rows == [["Café"]]


def test_damaged_sheet_inside_a_good_archive_is_refused() -> None:
    parts = workbook_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]
    with pytest.raises(SurveyFileError, match="cannot be read"):
        inspect(repack(parts), "cut.xlsx")


def test_bytes_that_are_no_known_text_are_refused() -> None:
    with pytest.raises(SurveyFileError, match="neither UTF-8 nor Windows-1252"):
        inspect(b"a\n\x81\x8d\x8f\n", "odd.csv")


def test_utf16_with_bom_is_read() -> None:
    info = inspect("Helped\nÜberall\n".encode("utf-16"), "excel.txt")
    assert info.sample_rows == [["Überall"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00", "binary"),
        (b"<?xml version='1.0'?><a/>", "XML"),
    ],
)
def test_empty_binary_and_xml_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(SurveyFileError, match=message):
        inspect(data, "x.csv")


def test_csv_rows_counts_records_not_lines() -> None:
    rows = read_csv_rows(b'a,b\n"two\nlines",x\nnext,y\n', "m.csv").rows
    assert rows == [(1, ["a", "b"]), (2, ["two\nlines", "x"]), (3, ["next", "y"])]


# -- Values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("-3.5", -3.5), ("1,54", 1.54), (" 7 ", 7), ("1e5", None), ("", None)],
)
def test_parse_number(text: str, number: float | None) -> None:
    assert parse_number(text) == number


def test_answer_value_matches_labels_whatever_their_case_and_spacing() -> None:
    assert answer_value(RATING, "  very   GOOD ") == "4"
    assert answer_value(BARRIERS, "Clinical duties, on call|Family") == ("clinical", "family")
    with pytest.raises(ValueError, match="not one of the choices"):
        answer_value(BARRIERS, "Teaching, Sleeping")


def test_column_letters() -> None:
    assert [column_letter(n) for n in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=500) | st.text(max_size=500).map(str.encode))
def test_random_input_never_raises_anything_but_survey_file_error(data: bytes) -> None:
    for name in ("random.csv", "random.xlsx"):
        with contextlib.suppress(SurveyFileError):
            info = inspect(data, name)
            read_mapped(data, name, {column: HELPED for column in info.columns[:1]})
