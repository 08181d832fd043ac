"""RIS: EndNote quirks (BOM, blank and numbered lines, empty tags, bad TY spacing) and refusal
of files that are not RIS."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.importers import ris
from peermentor.scholarship.records import WorkFileError


def sample(name: str) -> bytes:
    """The bytes of a shared RIS sample file; the test is skipped when samples are absent."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "ris" / name).read_bytes()


def test_crossref_export() -> None:
    (work,) = ris.read(sample("bolognese_crossref.ris"), filename="c.ris").records
    assert work.title.startswith("Automated quantitative histology")
    assert (work.type, work.venue, work.year) == ("journal_article", "eLife", 2014)
    assert work.doi == "10.7554/elife.01567"
    assert [a.name for a in work.authors][-1] == "Christian S Hardtke"
    assert len(work.authors) == 5


def test_thesis_with_comma_without_space_and_full_date() -> None:
    (work,) = ris.read(sample("bolognese_pure_cris.ris"), filename="p.ris").records
    assert work.type == "other"
    assert work.title == "A multiscale analysis of the urban heat island effect"
    assert work.venue == "Technische Universiteit Eindhoven"
    assert work.date == "2018-04-25"
    assert [(a.family, a.given) for a in work.authors] == [("Toparlar", "Y.")]


def test_malformed_ty_spacing_is_tolerated() -> None:
    (work,) = ris.read(sample("bolognese_ris_bug_malformed_TY.ris"), filename="b.ris").records
    assert work.type == "book"
    assert work.title.startswith("Validation of an Image-based Subject-Specific Dynamic Model")
    assert work.doi == "10.17918/ernk-6431"
    assert work.authors[0].name == "Vishnuvardhan Balakrishnan"


def test_record_without_title_after_bom_is_skipped_with_a_reason() -> None:
    result = ris.read(sample("rispy_example_bom.ris"), filename="bom.ris")
    assert result.records == []
    assert result.errors == [("record 1 (line 1)", "The record has no title (TI or T1).")]


def test_empty_tags_doi_link_and_initials_without_comma() -> None:
    (work,) = ris.read(sample("rispy_example_empty_tag.ris"), filename="e.ris").records
    assert work.title.startswith("Outcome Measures After Shoulder Stabilization")
    assert work.doi == "10.1177/2325967120950040"
    assert work.venue == "Orthopaedic Journal of Sports Medicine"
    assert work.year == 2020
    assert [(a.family, a.given) for a in work.authors] == [("Fanning", "E.")]


@pytest.mark.parametrize(
    ("name", "first_line"),
    [("rispy_example_full.ris", 2), ("rispy_example_extraneous_data.ris", 5)],
)
def test_numbered_and_extraneous_lines_between_records(name: str, first_line: int) -> None:
    result = ris.read(sample(name), filename=name)
    assert [w.title for w in result.records] == ["Title of reference", "The title of the reference"]
    assert [a.name for a in result.records[0].authors] == ["Karl Marx", "Astrid Lindgren"]
    assert [w.year for w in result.records] == [2014, 2006]
    assert result.records[0].venue == "Lorem"
    assert result.records[0].source_record == f"record 1 (line {first_line})"


def test_multiline_records_without_titles_are_each_skipped() -> None:
    result = ris.read(sample("rispy_example_multiline.ris"), filename="m.ris")
    assert result.records == []
    assert [label for label, _ in result.errors] == [
        "record 1 (line 1)",
        "record 2 (line 8)",
        "record 3 (line 17)",
    ]


def test_leading_blank_lines() -> None:
    (work,) = ris.read(sample("rispy_example_starting_newlines.ris"), filename="n.ris").records
    assert (work.title, work.date) == ("A Mathematical Theory of Communication", "1948-07")
    assert work.venue == "Bell System Technical Journal"
    assert [(a.family, a.given) for a in work.authors] == [("Shannon", "Claude E.")]


def test_four_records_with_urls() -> None:
    result = ris.read(sample("rispy_example_urls.ris"), filename="u.ris")
    assert len(result.records) == 4
    assert {w.title for w in result.records} == {"A Mathematical Theory of Communication"}


def test_truncated_last_record_is_skipped_and_missing_er_warned() -> None:
    data = b"TY  - JOUR\nTI  - One\nTY  - BOOK\nTI  - Two\nER  -\nTY  - JOUR\nTI  - Cut"
    result = ris.read(data, filename="t.ris")
    assert [(w.title, w.type) for w in result.records] == [
        ("One", "journal_article"),
        ("Two", "book"),
    ]
    assert result.warnings[0][0] == "record 1 (line 1)"
    assert result.errors == [
        ("record 3 (line 6)", "The record has no end line “ER  - ”; the file may be truncated.")
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"Dear colleague,\nmy papers follow.\n", b"@article{k, title={T}}", b"{}"],
)
def test_file_that_is_not_ris_is_refused_never_silently_empty(data: bytes) -> None:
    with pytest.raises(WorkFileError, match=r"(not a RIS file|empty)"):
        ris.read(data, filename="x.ris")


FRAGMENTS = [
    "TY  - JOUR\n",
    "TY -  BOOK\n",
    "TI  - ",
    "T1  - ",
    "AU  - ",
    "A1  - ",
    "PY  - ",
    "DO  - ",
    "ER  - \n",
    "ER  -\n",
    "\n",
    "      ",
    "Smith, J",
    "2014//",
    "/",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=10))).map("".join))
def test_any_text_reads_or_raises_work_file_error(text: str) -> None:
    with contextlib.suppress(WorkFileError):
        ris.read(text.encode(), filename="fuzz.ris")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_read_or_raise_work_file_error(data: bytes) -> None:
    with contextlib.suppress(WorkFileError):
        ris.read(data, filename="fuzz.ris")
