"""The plain records and their field helpers: DOIs, PubMed IDs, names, dates, file errors."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.records import (
    WORK_TYPES,
    InvalidIdentifier,
    ReadResult,
    WorkFileError,
    WorkRecord,
    iso_date,
    make_author,
    normalise_doi,
    normalise_pmid,
    number_authors,
    parse_month,
    parse_year,
    split_name,
)


@pytest.mark.parametrize(
    "text",
    [
        "10.1097/ACM.0b013e3182441615",
        "https://doi.org/10.1097/ACM.0b013e3182441615",
        "http://dx.doi.org/10.1097/acm.0b013e3182441615",
        "doi:10.1097/ACM.0b013e3182441615",
        "DOI: 10.1097/ACM.0b013e3182441615 ",
        "https://doi.org/10.1097%2FACM.0b013e3182441615",
    ],
)
def test_doi_forms_normalise_to_bare_lower_case(text: str) -> None:
    assert normalise_doi(text) == "10.1097/acm.0b013e3182441615"


@pytest.mark.parametrize("text", ["", "123456", "work:doi", "11.1000/x", "10.12/x", "10.1000/"])
def test_non_dois_are_refused_with_the_text_quoted(text: str) -> None:
    with pytest.raises(InvalidIdentifier, match=r"is not a DOI"):
        normalise_doi(text)


@pytest.mark.parametrize(
    ("text", "pmid"), [("22361792", "22361792"), ("PMID: 22361792", "22361792"), (" 0042 ", "42")]
)
def test_pmid_forms(text: str, pmid: str) -> None:
    assert normalise_pmid(text) == pmid


@pytest.mark.parametrize("text", ["", "0", "PMC6055010", "12a", "1234567890"])
def test_non_pmids_are_refused(text: str) -> None:
    with pytest.raises(InvalidIdentifier, match=r"not a PubMed ID"):
        normalise_pmid(text)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Sankar, Martial", ("Sankar", "Martial")),
        ("Toparlar,Y.", ("Toparlar", "Y.")),
        ("Smith, John, Jr", ("Smith Jr", "John")),
        ("Mangalam H", ("Mangalam", "H")),
        ("Fanning E.", ("Fanning", "E.")),
        ("De Luca FJ", ("De Luca", "FJ")),
        ("Laure L. Haak", ("Haak", "Laure L.")),
        ("Jordan", ("Jordan", "")),
    ],
)
def test_names_split_into_family_and_given(text: str, parts: tuple[str, str]) -> None:
    assert split_name(text) == parts


def test_authors_are_numbered_in_order_and_nameless_ones_dropped() -> None:
    authors = number_authors(
        [make_author(family="Lord", given="J"), make_author(), make_author(literal="Group")]
    )
    assert [(a.name, a.position) for a in authors] == [("J Lord", 1), ("Group", 2)]


@pytest.mark.parametrize(
    ("parts", "date"),
    [
        ((2014, None, None), "2014"),
        ((2014, 2, None), "2014-02"),
        ((2014, 2, 11), "2014-02-11"),
        ((2014, 2, 30), "2014-02"),
        ((2014, 13, 1), "2014"),
        ((None, 2, 1), None),
    ],
)
def test_iso_dates_are_as_precise_as_the_parts_allow(
    parts: tuple[int | None, int | None, int | None], date: str | None
) -> None:
    assert iso_date(*parts) == date


def test_years_and_months_from_text() -> None:
    assert [parse_year(t) for t in ("2018/4/25", "1998 Dec-1999 Jan", "c. 850", "20140")] == [
        2018,
        1998,
        None,
        None,
    ]
    assert [parse_month(t) for t in ("Jun", "06", "6", "June", "Winter", "13")] == [
        6,
        6,
        6,
        6,
        None,
        None,
    ]


def test_work_file_error_names_file_and_record_and_survives_pickling() -> None:
    error = WorkFileError("no title", file="a.ris", record="record 2 (line 9)")
    assert str(error) == "a.ris, record 2 (line 9): no title"
    assert str(WorkFileError("empty", file="a.ris")) == "a.ris: empty"
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object, just made
    assert (copy.message, copy.file, copy.record) == ("no title", "a.ris", "record 2 (line 9)")


def test_work_types_are_the_designed_eleven_and_others_are_refused() -> None:
    assert len(WORK_TYPES) == 11
    with pytest.raises(ValueError, match=r"unknown work type"):
        WorkRecord("article", "T", "", None, None, None, None, (), "ris", "record 1")


def test_a_result_without_records_or_errors_is_refused() -> None:
    with pytest.raises(WorkFileError, match=r"x.ris: no works were found in it; hint"):
        ReadResult(format="ris").require_works(file="x.ris", what="hint")


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_doi_normalising_is_idempotent_or_refuses(text: str) -> None:
    try:
        doi = normalise_doi(text)
    except InvalidIdentifier:
        return
    assert normalise_doi(doi) == doi
    assert doi.startswith("10.")


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_names_always_split_into_two_texts(text: str) -> None:
    family, given_name = split_name(text)
    assert isinstance(family, str)
    assert isinstance(given_name, str)
