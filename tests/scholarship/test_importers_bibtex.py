"""BibTeX: LaTeX accents, name splitting, capital AND, @string macros, BOMs and encodings."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.importers import bibtex
from peermentor.scholarship.records import WorkFileError


def sample(name: str) -> bytes:
    """The bytes of a shared BibTeX sample file; the test is skipped when samples are absent."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "bibtex" / name).read_bytes()


def names(data: bytes) -> list[tuple[str, str]]:
    (work,) = bibtex.read(data, filename="x.bib").records
    return [(a.family, a.given) for a in work.authors]


def test_crossref_export_with_doi_month_and_five_authors() -> None:
    (work,) = bibtex.read(sample("bolognese_crossref.bib"), filename="c.bib").records
    assert work.title.startswith("Automated quantitative histology reveals vascular")
    assert (work.venue, work.year, work.date) == ("eLife", 2014, "2014-02")
    assert work.doi == "10.7554/elife.01567"
    assert work.type == "journal_article"
    assert work.source_record == "entry Sankar_2014 (line 1)"
    assert [a.name for a in work.authors] == [
        "Martial Sankar",
        "Kaisa Nieminen",
        "Laura Ragni",
        "Ioannis Xenarios",
        "Christian S Hardtke",
    ]


def test_utf8_name_after_a_comment_block() -> None:
    (work,) = bibtex.read(sample("example_bibtex.bib"), filename="e.bib").records
    assert work.source_record == "entry Cesar2013 (line 5)"
    assert (work.title, work.venue, work.date) == ("An amazing title", "Nice Journal", "2013-01")
    assert [(a.family, a.given) for a in work.authors] == [("César", "Jean")]


def test_latex_accents_are_decoded() -> None:
    assert names(sample("v1_article_with_special_characters.bib")) == [("Césarü", "Jean")]


def test_byte_order_mark_is_ignored() -> None:
    (work,) = bibtex.read(sample("v1_book_bom.bib"), filename="bom.bib").records
    assert (work.type, work.title, work.venue) == (
        "book",
        "Dynamics of Polymeric Liquid",
        "Wiley Edition",
    )
    assert work.source_record == "entry Bird1987 (line 1)"
    assert [a.family for a in work.authors] == ["Bird", "Armstrong", "Hassager"]


def test_capital_and_separates_authors() -> None:
    assert names(sample("v1_book_capital_AND.bib")) == [
        ("Bird", "R.B."),
        ("Armstrong", "R.C."),
        ("Hassager", "O."),
    ]


def test_percent_comments_between_entries() -> None:
    result = bibtex.read(sample("v1_comments_percentage.bib"), filename="p.bib")
    assert [w.authors[0].family for w in result.records] == ["Cesar", "Baltazar"]


def test_utf8_title_and_journal() -> None:
    (work,) = bibtex.read(sample("v1_encoding.bib"), filename="enc.bib").records
    assert (work.title, work.venue) == ("An amazing title: à", "Elémentaire")
    assert work.authors[0].name == "Jean César"


def test_string_macros_resolve_and_comments_and_preambles_are_ignored() -> None:
    (work,) = bibtex.read(sample("v1_features.bib"), filename="f.bib").records
    assert (work.type, work.title) == ("presentation", "Cool Stuff")
    assert work.venue == "My International Conference"
    assert work.authors[0].name == "John"


def test_capitalised_field_names_and_three_entries() -> None:
    result = bibtex.read(sample("v1_multiple_entries_and_comments.bib"), filename="m.bib")
    assert [w.title for w in result.records] == [
        "Optical fiber fusion slicing",
        "The transition state method",
        "A title",
    ]
    assert result.records[1].doi == "10.1039/tf9383400029"
    assert result.records[1].venue == "Trans. Faraday Soc."
    assert [a.name for a in result.records[2].authors] == ["A Toto", "B Titi"]


def test_braced_group_author_von_particle_and_others() -> None:
    data = (
        b"@article{k, title = {{BMJ} and {COVID-19}}, year = 2020, "
        b"author = {{World Health Organization} and van der Berg, Anna and Ludwig van Beethoven"
        b" and others}}"
    )
    (work,) = bibtex.read(data, filename="x.bib").records
    assert work.title == "BMJ and COVID-19"
    assert [(a.family, a.given) for a in work.authors] == [
        ("World Health Organization", ""),
        ("van der Berg", "Anna"),
        ("van Beethoven", "Ludwig"),
    ]


def test_broken_and_duplicate_entries_are_skipped_with_key_and_line() -> None:
    data = b"@article{good, title={Good}}\n@article{good, title={Again}}\n@article{cut, title={T"
    result = bibtex.read(data, filename="x.bib")
    assert [w.title for w in result.records] == ["Good"]
    assert result.errors[0][0] == "entry good (line 2)"
    assert "already uses the key" in result.errors[0][1]
    assert result.errors[1][0] == "entry cut (line 3)"


def test_windows_1252_file_is_read_with_a_warning() -> None:
    data = "@book{k, title={Éléments}, author={Müller, Jürgen}}\n".encode("cp1252")
    result = bibtex.read(data, filename="latin.bib")
    assert result.records[0].title == "Éléments"
    assert result.records[0].authors[0].family == "Müller"
    assert "Windows-1252" in result.warnings[0][1]


def test_text_without_entries_is_refused() -> None:
    with pytest.raises(WorkFileError, match=r"not a BibTeX file"):
        bibtex.read(b"just some words\n", filename="notes.bib")


FRAGMENTS = [
    "@article{",
    "@string{a = ",
    "@comment{",
    "@preamble{",
    "title = {",
    "author = {",
    " and ",
    " AND ",
    "}",
    "{",
    ",",
    "\n",
    '"',
    "#",
    "\\'e",
    "\\",
    "year = 2014",
    "doi = {10.1/x}",
    "month = feb",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))).map("".join))
def test_any_text_reads_or_raises_work_file_error(text: str) -> None:
    with contextlib.suppress(WorkFileError):
        bibtex.read(text.encode(), filename="fuzz.bib")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_read_or_raise_work_file_error(data: bytes) -> None:
    with contextlib.suppress(WorkFileError):
        bibtex.read(data, filename="fuzz.bib")
