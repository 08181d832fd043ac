"""CSL-JSON: arrays or single items, CSL names and dates, JSON Schemas refused."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.importers import csl_json
from peermentor.scholarship.records import WorkFileError


def sample(name: str) -> bytes:
    """The bytes of a shared CSL sample file; the test is skipped when samples are absent."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "csl" / name).read_bytes()


def test_single_item_with_author_but_not_translator() -> None:
    (work,) = csl_json.read(sample("bolognese_citeproc.json"), filename="c.json").records
    assert work.title == "Eating your own Dog Food"
    assert (work.type, work.venue) == ("other", "DataCite Blog")
    assert (work.year, work.date) == (2016, "2016-12-20")
    assert work.doi == "10.5438/4k3m-nyvg"
    assert work.source_record == "item 1 (id https://doi.org/10.5438/4k3m-nyvg)"
    assert [(a.family, a.given) for a in work.authors] == [("Fenner", "Martin")]


def test_item_without_authors() -> None:
    (work,) = csl_json.read(sample("bolognese_citeproc-no-author.json"), filename="n.json").records
    assert work.title == "Eating your own Dog Food"
    assert work.authors == ()


@pytest.mark.parametrize("name", ["csl-data.schema.json", "csl-citation.schema.json"])
def test_json_schemas_are_refused_as_not_data(name: str) -> None:
    with pytest.raises(WorkFileError, match=r"JSON Schema") as caught:
        csl_json.read(sample(name), filename=name)
    assert str(caught.value).startswith(f"{name}: ")


def test_array_with_literal_names_particles_orcid_and_raw_date() -> None:
    items = [
        {
            "id": "a",
            "type": "article-journal",
            "title": "First",
            "container-title": ["Acad Med"],
            "issued": {"raw": "2012"},
            "PMID": "22361792",
            "author": [
                {
                    "family": "Berg",
                    "given": "Anna",
                    "non-dropping-particle": "van der",
                    "ORCID": "https://orcid.org/0000-0002-1825-0097",
                },
                {"literal": "Writing Group"},
            ],
        },
        {"id": "b", "type": "chapter"},
        "not an item",
    ]
    result = csl_json.read(json.dumps(items).encode(), filename="a.json")
    (work,) = result.records
    assert (work.year, work.date, work.pmid, work.venue) == (2012, "2012", "22361792", "Acad Med")
    assert [(a.name, a.orcid) for a in work.authors] == [
        ("Anna van der Berg", "0000-0002-1825-0097"),
        ("Writing Group", None),
    ]
    assert result.errors == [
        ("item 2 (id b)", "The item has no title."),
        ("item 3", "The item is not a JSON object."),
    ]


@pytest.mark.parametrize("data", [b"", b"[1, 2", b"<xml/>", b"[]", b'"text"'])
def test_non_csl_is_refused(data: bytes) -> None:
    with pytest.raises(WorkFileError):
        csl_json.read(data, filename="x.json")


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "title",
                        "type",
                        "author",
                        "family",
                        "given",
                        "literal",
                        "issued",
                        "date-parts",
                        "raw",
                        "DOI",
                        "PMID",
                        "ORCID",
                        "container-title",
                        "id",
                        "$schema",
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
        csl_json.read(json.dumps(document).encode(), filename="fuzz.json")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_read_or_raise_work_file_error(data: bytes) -> None:
    with contextlib.suppress(WorkFileError):
        csl_json.read(data, filename="fuzz.json")
