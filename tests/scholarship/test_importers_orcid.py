"""ORCID v3.0 works in JSON and XML: records, summaries, single works, bulk lists, errors."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.importers import orcid
from peermentor.scholarship.records import WorkFileError


def sample(name: str) -> bytes:
    """The bytes of a shared ORCID sample file; the test is skipped when samples are absent."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "orcid" / name).read_bytes()


def test_works_summary_xml_reads_one_work_per_group() -> None:
    result = orcid.read(sample("read_works-3.0.xml"), filename="works.xml")
    assert [w.title for w in result.records] == ["Work # 0", "Work # 1", "Work # 2"]
    assert [w.type for w in result.records] == ["presentation", "presentation", "journal_article"]
    assert [w.date for w in result.records] == ["2017-03-03", "2017-02-02", "2017-03-03"]
    assert result.records[2].venue == "some journal title"
    assert [w.source_record for w in result.records] == [
        "work 1 (put-code 3356)",
        "work 2 (put-code 3357)",
        "work 3 (put-code 3358)",
    ]
    # Work # 0 only has a "part-of" DOI (its container's), and it is not even a DOI.
    assert all(w.doi is None for w in result.records)


def test_full_record_json_reads_the_preferred_summary() -> None:
    result = orcid.read(sample("read_record-full-3.0.json"), filename="record.json")
    (work,) = result.records
    assert work.title == "Work Title"
    assert work.venue == "Jounral Title"
    assert (work.type, work.year, work.date) == ("journal_article", 2012, "2012-10-01")
    assert work.source_record == "work 1 (put-code 178602)"
    # Its own ("self") DOI is the placeholder "work:doi"; the "version-of" DOI is another
    # version of the work and must not be taken for this one.
    assert work.doi is None
    assert result.warnings == [
        (
            "work 1 (put-code 178602)",
            "“work:doi” is not a DOI: a DOI looks like 10.1234/abcd. It was left out.",
        )
    ]


def test_activities_summary_xml_reads_its_works_only() -> None:
    (work,) = orcid.read(sample("read_activities-3.0.xml"), filename="activities.xml").records
    assert (work.title, work.type, work.year) == ("common:title", "other", 1948)
    assert work.source_record == "work 1 (put-code 0)"


def test_single_work_xml_with_contributor() -> None:
    (work,) = orcid.read(sample("write_work-full-3.0.xml"), filename="work.xml").records
    assert work.title == "Work Title: Sub title"
    assert work.venue == "Journal Title"
    assert work.date == "2012-10-01"
    (author,) = work.authors
    assert (author.family, author.given, author.orcid) == (
        "Haak",
        "Laure L.",
        "0000-0001-5109-3700",
    )


def test_read_work_xml_keeps_contributor_orcid() -> None:
    (work,) = orcid.read(sample("read_work-3.0.xml"), filename="work.xml").records
    assert work.title == "common:title"
    assert work.authors[0].orcid == "8888-8888-8888-8880"


def test_single_work_json_with_two_contributors() -> None:
    (work,) = orcid.read(sample("write_work-full-3.0.json"), filename="work.json").records
    assert work.title == "Work Title: Work subtitle"
    assert work.venue == "Journal title"
    assert (work.year, work.date) == (2022, "2022-05-24")
    assert [(a.name, a.orcid, a.position) for a in work.authors] == [
        ("Jordan", "0000-0002-5391-5437", 1),
        ("Fran", "0000-0002-4325-871X", 2),
    ]


def test_bulk_json_reads_three_works_with_dois() -> None:
    result = orcid.read(sample("write_bulk-works-3-works-3.0.json"), filename="bulk.json")
    assert [w.title for w in result.records] == [
        "Work Title 1: Work 1 subtitle",
        "Work Title 2",
        "Work Title 3: Work 3 subtitle",
    ]
    assert [w.doi for w in result.records] == [
        "10.1026/j.crvasa.2015.05.007",
        "10.1012/j.crvasa.2015.05.008",
        "10.1032/j.crvasa.2015.05.008",
    ]
    assert result.records[1].authors[0].orcid == "0000-0002-5391-5437"


def test_error_document_is_refused_with_its_message() -> None:
    with pytest.raises(WorkFileError, match=r"ORCID error response.*error:user-message") as caught:
        orcid.read(sample("read_error-3.0.xml"), filename="read_error-3.0.xml")
    assert str(caught.value).startswith("read_error-3.0.xml: ")


@pytest.mark.parametrize(
    ("name", "root"),
    [("read_person-3.0.xml", "person"), ("read_employments-3.0.xml", "employments")],
)
def test_documents_without_works_are_refused(name: str, root: str) -> None:
    with pytest.raises(WorkFileError, match=f"ORCID <{root}> document holds no works"):
        orcid.read(sample(name), filename=name)


def test_bulk_entry_error_skips_that_work_only() -> None:
    bulk = {
        "bulk": [
            {"work": {"title": {"title": {"value": "Kept"}}, "type": "book-chapter"}},
            {"error": {"user-message": "Duplicate external id", "response-code": 409}},
        ]
    }
    result = orcid.read(json.dumps(bulk).encode(), filename="bulk.json")
    assert [(w.title, w.type) for w in result.records] == [("Kept", "chapter")]
    assert result.errors == [
        ("work 2", "ORCID reported an error instead of this work: Duplicate external id")
    ]


def test_json_error_response_is_refused() -> None:
    error = {"response-code": 404, "user-message": "The resource was not found."}
    with pytest.raises(WorkFileError, match=r"The resource was not found"):
        orcid.read(json.dumps(error).encode(), filename="e.json")


def test_pmid_and_non_orcid_xml() -> None:
    work = {
        "title": {"title": {"value": "T"}},
        "type": "conference-poster",
        "external-ids": {
            "external-id": [
                {
                    "external-id-type": "pmid",
                    "external-id-value": "123",
                    "external-id-relationship": "self",
                }
            ]
        },
    }
    (record,) = orcid.read(json.dumps(work).encode(), filename="w.json").records
    assert (record.pmid, record.type) == ("123", "poster")
    with pytest.raises(WorkFileError, match=r"not an ORCID document"):
        orcid.read(b"<html><body/></html>", filename="page.xml")


FRAGMENTS = [
    '{"bulk": [',
    '{"work": {',
    '"title": {"title": {"value": "',
    '"}}',
    '"type": "journal-article"',
    '"contributors": {"contributor": [',
    '"external-ids": {"external-id": [{"external-id-type": "doi", "external-id-value": "',
    "]}",
    "null",
    ",",
    '<work:work xmlns:work="http://www.orcid.org/ns/work">',
    "</work:work>",
    '<common:title xmlns:common="http://www.orcid.org/ns/common">',
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))).map("".join))
def test_any_text_reads_or_raises_work_file_error(text: str) -> None:
    with contextlib.suppress(WorkFileError):
        orcid.read(text.encode(), filename="fuzz")


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "bulk",
                        "work",
                        "title",
                        "value",
                        "group",
                        "work-summary",
                        "type",
                        "external-ids",
                        "external-id",
                        "contributors",
                        "contributor",
                        "publication-date",
                        "year",
                        "error",
                        "activities-summary",
                        "works",
                        "credit-name",
                    ]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_any_json_reads_or_raises_work_file_error(document: object) -> None:
    with contextlib.suppress(WorkFileError):
        orcid.read(json.dumps(document).encode(), filename="fuzz.json")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_read_or_raise_work_file_error(data: bytes) -> None:
    with contextlib.suppress(WorkFileError):
        orcid.read(data, filename="fuzz")
