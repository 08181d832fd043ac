"""PeerMentor's CSV template: header checked with line numbers, rows checked cell by cell."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.importers import csv_template
from peermentor.scholarship.records import ReadResult, WorkFileError

GOOD_ROW = (
    "journal_article,A Peer Mentoring Group for Junior Clinician Educators,Acad Med,2012,"
    "https://doi.org/10.1097/ACM.0b013e3182441615,22361792,"
    '"Lord, Jennifer A [0000-0002-1825-0097]; Mourad, Michelle; {Writing Group}"'
)


def read(text: str) -> ReadResult:
    return csv_template.read(text.encode(), filename="works.csv")


def test_template_header_is_documented_in_the_module() -> None:
    assert csv_template.TEMPLATE_HEADER == "type,title,venue,year,doi,pmid,authors"
    assert csv_template.TEMPLATE_HEADER in (csv_template.__doc__ or "")


def test_a_full_row() -> None:
    (work,) = read(f"{csv_template.TEMPLATE_HEADER}\n{GOOD_ROW}\n").records
    assert work.type == "journal_article"
    assert work.title == "A Peer Mentoring Group for Junior Clinician Educators"
    assert (work.venue, work.year, work.date) == ("Acad Med", 2012, "2012")
    assert (work.doi, work.pmid) == ("10.1097/acm.0b013e3182441615", "22361792")
    assert work.source_record == "line 2"
    assert [(a.family, a.given, a.orcid, a.position) for a in work.authors] == [
        ("Lord", "Jennifer A", "0000-0002-1825-0097", 1),
        ("Mourad", "Michelle", None, 2),
        ("", "", None, 3),
    ]
    assert work.authors[2].name == "Writing Group"


def test_columns_in_any_order_excel_bom_semicolons_and_human_types() -> None:
    text = (
        "\ufeffTitle;Type;Authors\nNegotiation skills;Workshop;Jane Smith\n\n;;\nPoster A;poster;\n"
    )
    result = read(text)
    assert [(w.title, w.type) for w in result.records] == [
        ("Negotiation skills", "workshop"),
        ("Poster A", "poster"),
    ]
    assert result.records[0].authors[0].family == "Smith"
    assert result.records[1].source_record == "line 5"


def test_bad_rows_are_skipped_with_every_problem_and_the_line_number() -> None:
    text = (
        f"{csv_template.TEMPLATE_HEADER}\n"
        "talk,,,12,doi:nonsense,abc,\n"
        'poster,"Two\nlines",,2020,,,"Smith, J [0000-0002-1825-0098]"\n'
        f"{GOOD_ROW}\n"
        "grant,Too many,,,,,,extra\n"
    )
    result = read(text)
    assert [w.source_record for w in result.records] == ["line 5"]
    (line2, message2), (line3, message3), (line6, message6) = result.errors
    assert line2 == "line 2"
    for fragment in ("type “talk”", "title is empty", "year “12”", "not a DOI", "not a PubMed ID"):
        assert fragment in message2
    assert (line3, "check digit" in message3) == ("line 3", True)
    assert (line6, message6) == ("line 6", "The row has 8 cells but the header names 7.")


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("type,title,journal", "unknown column(s) 'journal'"),
        ("title,venue", "missing required column(s) type"),
        ("type,title,title", "repeated column(s) title"),
    ],
)
def test_bad_header_refuses_the_file_naming_line_1(header: str, problem: str) -> None:
    with pytest.raises(WorkFileError) as caught:
        read(f"{header}\nx,y,z\n")
    message = str(caught.value)
    assert message.startswith("works.csv: line 1: ")
    assert problem in message
    assert csv_template.TEMPLATE_HEADER in message


def test_header_only_is_refused() -> None:
    with pytest.raises(WorkFileError, match=r"no works were found"):
        read(f"{csv_template.TEMPLATE_HEADER}\n")


def test_unclosed_quote_is_refused_with_its_line() -> None:
    long_cell = "x" * 200_000
    with pytest.raises(WorkFileError, match=r"line \d+ is not valid CSV"):
        read(f'{csv_template.TEMPLATE_HEADER}\nother,"{long_cell}\n')


FRAGMENTS = [
    csv_template.TEMPLATE_HEADER,
    "\n",
    ",",
    ";",
    '"',
    "[",
    "]",
    "{",
    "}",
    "poster",
    "journal_article",
    "2012",
    "10.1000/x",
    "0000-0002-1825-0097",
    "Smith, J",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=10))).map("".join))
def test_any_text_reads_or_raises_work_file_error(text: str) -> None:
    with contextlib.suppress(WorkFileError):
        csv_template.read(text.encode(), filename="fuzz.csv")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_read_or_raise_work_file_error(data: bytes) -> None:
    with contextlib.suppress(WorkFileError):
        csv_template.read(data, filename="fuzz.csv")
