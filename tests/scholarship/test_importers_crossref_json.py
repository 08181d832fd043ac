"""Crossref REST JSON: a work message with or without its envelope, work lists, errors."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.importers import crossref_json
from peermentor.scholarship.records import WorkFileError

MESSAGE = "commonmeta_crossref_work_message.json"


def sample(name: str) -> bytes:
    """The bytes of a shared Crossref sample file; the test is skipped when samples are absent."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "crossref" / name).read_bytes()


def test_bare_work_message() -> None:
    (work,) = crossref_json.read(sample(MESSAGE), filename="w.json").records
    assert work.title == (
        "Automated quantitative histology reveals vascular morphodynamics during Arabidopsis "
        "hypocotyl secondary growth"
    )
    assert (work.type, work.venue, work.date) == ("journal_article", "eLife", "2014-02-11")
    assert work.doi == "10.7554/elife.01567"
    assert work.source_record == "work 1 (DOI 10.7554/elife.01567)"
    assert [(a.family, a.given) for a in work.authors] == [
        ("Sankar", "Martial"),
        ("Nieminen", "Kaisa"),
        ("Ragni", "Laura"),
        ("Xenarios", "Ioannis"),
        ("Hardtke", "Christian S"),
    ]


def test_the_same_work_inside_the_api_envelope() -> None:
    message = json.loads(sample(MESSAGE))
    envelope = {"status": "ok", "message-type": "work", "message": message}
    (work,) = crossref_json.read(json.dumps(envelope).encode(), filename="e.json").records
    assert work.doi == "10.7554/elife.01567"


def test_work_list_with_orcid_subtitle_and_organisation() -> None:
    items = [
        {
            "DOI": "10.1000/a",
            "type": "book-chapter",
            "title": ["Main"],
            "subtitle": ["Sub"],
            "issued": {"date-parts": [[None]]},
            "published-print": {"date-parts": [[2019, 5]]},
            "author": [
                {"given": "Ann", "family": "Lee", "ORCID": "http://orcid.org/0000-0002-1825-0097"},
                {"name": "Consortium X"},
            ],
        },
        {"DOI": "10.1000/b", "title": []},
    ]
    envelope = {"status": "ok", "message-type": "work-list", "message": {"items": items}}
    result = crossref_json.read(json.dumps(envelope).encode(), filename="l.json")
    (work,) = result.records
    assert (work.title, work.type, work.date) == ("Main: Sub", "chapter", "2019-05")
    assert [(a.name, a.orcid) for a in work.authors] == [
        ("Ann Lee", "0000-0002-1825-0097"),
        ("Consortium X", None),
    ]
    assert result.errors == [("work 2 (DOI 10.1000/b)", "The work has no title.")]


def test_unixref_xml_is_refused_with_advice() -> None:
    name = "commonmeta_crossref_unixref.xml"
    with pytest.raises(WorkFileError, match=r"api.crossref.org") as caught:
        crossref_json.read(sample(name), filename=name)
    assert str(caught.value).startswith(f"{name}: ")


def test_error_response_is_refused() -> None:
    error = {"status": "failed", "message-type": "validation-failure", "message": "Bad DOI"}
    with pytest.raises(WorkFileError, match=r"Crossref error response: Bad DOI"):
        crossref_json.read(json.dumps(error).encode(), filename="e.json")


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "status",
                        "message",
                        "items",
                        "DOI",
                        "title",
                        "subtitle",
                        "type",
                        "author",
                        "issued",
                        "date-parts",
                        "container-title",
                        "given",
                        "family",
                        "ORCID",
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
        crossref_json.read(json.dumps(document).encode(), filename="fuzz.json")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_read_or_raise_work_file_error(data: bytes) -> None:
    with contextlib.suppress(WorkFileError):
        crossref_json.read(data, filename="fuzz.json")
