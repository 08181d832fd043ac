"""MEDLINE .nbib: tagged records, author blocks with their ORCID lines, DOIs from LID/AID."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.importers import medline_nbib
from peermentor.scholarship.records import WorkFileError


def sample(name: str) -> bytes:
    """The bytes of a shared PubMed sample file; the test is skipped when samples are absent."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "pubmed" / name).read_bytes()


def test_single_record_with_journal_date_and_one_author() -> None:
    result = medline_nbib.read(sample("biopython_medline_pubmed_result1.nbib"), filename="r1")
    (work,) = result.records
    assert work.pmid == "12230038"
    assert work.title == "The Bio* toolkits--a brief overview."
    assert work.venue == "Briefings in bioinformatics"
    assert (work.year, work.date) == (2002, "2002-09")
    assert work.doi is None
    assert [(a.family, a.given) for a in work.authors] == [("Mangalam", "Harry")]


def test_doi_from_lid_and_four_authors_in_order() -> None:
    (work,) = medline_nbib.read(
        sample("biopython_medline_pubmed_result3.nbib"), filename="r3"
    ).records
    assert work.pmid == "23039619"
    assert work.doi == "10.1118/1.4748329"
    assert work.venue == "Medical physics"
    assert [a.name for a in work.authors] == [
        "Shan Qiao",
        "Guofeng Shen",
        "Jingfeng Bai",
        "Yazhu Chen",
    ]


def test_five_pmc_records_with_orcid_on_the_right_author() -> None:
    result = medline_nbib.read(sample("nbib_pmc_medlars.nbib"), filename="pmc.nbib")
    assert result.errors == []
    assert [w.pmid for w in result.records] == [
        "30042925",
        "30123504",
        "25150679",
        "23049521",
        "20230352",
    ]
    gender = result.records[1]
    assert gender.title == (
        "Role of gender in the treatment experiences of people with an eating disorder: "
        "a metasynthesis."
    )
    assert gender.doi == "10.1186/s40337-018-0207-1"
    assert gender.venue == "Journal of Eating Disorders"
    assert [(a.family, a.orcid) for a in gender.authors] == [
        ("Thapliyal", "0000-0001-6664-9126"),
        ("Hay", None),
        ("Conti", None),
    ]
    # "LID - 18" is an electronic page, not a DOI; the record has no DOI line.
    assert result.records[4].doi is None
    assert result.records[4].date == "2010-03-15"


def test_continued_title_and_review_type() -> None:
    (work,) = medline_nbib.read(sample("nbib_single.nbib"), filename="single.nbib").records
    assert work.title == (
        "Impact of balloon guide catheter on technical and clinical outcomes: "
        "a systematic review and meta-analysis."
    )
    assert work.type == "review"
    assert work.doi == "10.1136/neurintsurg-2017-013179"
    assert [a.name for a in work.authors] == [
        "Waleed Brinjikji",
        "Vitor M Pereira",
        "David F Kallmes",
    ]


def test_short_names_group_authors_and_records_without_title() -> None:
    text = (
        "PMID- 1\nTI  - First\nAU  - Smith JA\nAUID- ORCID: 0000-0002-1825-0097\n"
        "CN  - Study Group\nAU  - Jones B\nDP  - 1999 Winter\n\n"
        "PMID- 2\nAU  - Nobody X\n"
    )
    result = medline_nbib.read(text.encode(), filename="x.nbib")
    (work,) = result.records
    assert [(a.family, a.given, a.orcid) for a in work.authors] == [
        ("Smith", "JA", "0000-0002-1825-0097"),
        ("", "", None),
        ("Jones", "B", None),
    ]
    assert work.authors[1].name == "Study Group"
    assert (work.year, work.date) == (1999, "1999")
    assert result.errors == [("PMID 2", "The record has no title (TI).")]


def test_text_that_is_not_medline_is_refused() -> None:
    with pytest.raises(WorkFileError, match=r"not a MEDLINE \(.nbib\) file"):
        medline_nbib.read(b"Dear colleague,\nhere are my papers.\n", filename="letter.txt")


FRAGMENTS = [
    "PMID- ",
    "TI  - ",
    "FAU - ",
    "AU  - ",
    "AUID- ORCID: ",
    "LID - ",
    " [doi]",
    "DP  - ",
    "CN  - ",
    "PT  - Review",
    "\n",
    "\n      ",
    "\n\n",
    "10.1000/x",
    "0000-0002-1825-0097",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))).map("".join))
def test_any_text_reads_or_raises_work_file_error(text: str) -> None:
    with contextlib.suppress(WorkFileError):
        medline_nbib.read(text.encode(), filename="fuzz.nbib")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_read_or_raise_work_file_error(data: bytes) -> None:
    with contextlib.suppress(WorkFileError):
        medline_nbib.read(data, filename="fuzz.nbib")
