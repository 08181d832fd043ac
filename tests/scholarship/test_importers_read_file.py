"""read_file and detect_format: every shared sample read or refused by name, hostile uploads
(entity expansion, external entities, huge, binary, empty, truncated) refused clearly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship import importers
from peermentor.scholarship.importers import detect_format, read_file
from peermentor.scholarship.records import WorkFileError

FOLDERS = ("pubmed", "orcid", "bibtex", "ris", "csl", "crossref")

# Every file in the shared sample folders: (format, works read, records skipped), or the
# words that the refusal must contain.
EXPECTED: dict[str, tuple[str, int, int] | str] = {
    "pubmed/biopython_medline_pubmed_result1.nbib": ("medline_nbib", 1, 0),
    "pubmed/biopython_medline_pubmed_result3.nbib": ("medline_nbib", 1, 0),
    "pubmed/biopython_pubmed2.xml": ("pubmed_xml", 2, 0),
    "pubmed/biopython_pubmed5.xml": ("pubmed_xml", 1, 0),
    "pubmed/biopython_pubmed7_orcid_collective.xml": ("pubmed_xml", 1, 0),
    "pubmed/nbib_pmc_medlars.nbib": ("medline_nbib", 5, 0),
    "pubmed/nbib_single.nbib": ("medline_nbib", 1, 0),
    "orcid/read_activities-3.0.xml": ("orcid", 1, 0),
    "orcid/read_employments-3.0.xml": "holds no works",
    "orcid/read_error-3.0.xml": "ORCID error response",
    "orcid/read_person-3.0.xml": "holds no works",
    "orcid/read_record-full-3.0.json": ("orcid", 1, 0),
    "orcid/read_work-3.0.xml": ("orcid", 1, 0),
    "orcid/read_works-3.0.xml": ("orcid", 3, 0),
    "orcid/write_bulk-works-3-works-3.0.json": ("orcid", 3, 0),
    "orcid/write_work-full-3.0.json": ("orcid", 1, 0),
    "orcid/write_work-full-3.0.xml": ("orcid", 1, 0),
    "bibtex/bolognese_crossref.bib": ("bibtex", 1, 0),
    "bibtex/example_bibtex.bib": ("bibtex", 1, 0),
    "bibtex/v1_article_with_special_characters.bib": ("bibtex", 1, 0),
    "bibtex/v1_book_bom.bib": ("bibtex", 1, 0),
    "bibtex/v1_book_capital_AND.bib": ("bibtex", 1, 0),
    "bibtex/v1_comments_percentage.bib": ("bibtex", 2, 0),
    "bibtex/v1_encoding.bib": ("bibtex", 1, 0),
    "bibtex/v1_features.bib": ("bibtex", 1, 0),
    "bibtex/v1_multiple_entries_and_comments.bib": ("bibtex", 3, 0),
    "ris/bolognese_crossref.ris": ("ris", 1, 0),
    "ris/bolognese_pure_cris.ris": ("ris", 1, 0),
    "ris/bolognese_ris_bug_malformed_TY.ris": ("ris", 1, 0),
    "ris/rispy_example_bom.ris": ("ris", 0, 1),
    "ris/rispy_example_empty_tag.ris": ("ris", 1, 0),
    "ris/rispy_example_extraneous_data.ris": ("ris", 2, 0),
    "ris/rispy_example_full.ris": ("ris", 2, 0),
    "ris/rispy_example_multiline.ris": ("ris", 0, 3),
    "ris/rispy_example_starting_newlines.ris": ("ris", 1, 0),
    "ris/rispy_example_urls.ris": ("ris", 4, 0),
    "csl/bolognese_citeproc-no-author.json": ("csl_json", 1, 0),
    "csl/bolognese_citeproc.json": ("csl_json", 1, 0),
    "csl/csl-citation.schema.json": "JSON Schema",
    "csl/csl-data.schema.json": "JSON Schema",
    "crossref/commonmeta_crossref_unixref.xml": "Crossref XML, which PeerMentor does not read",
    "crossref/commonmeta_crossref_work_message.json": ("crossref_json", 1, 0),
}


def samples_folder() -> Path:
    """The shared samples folder; the test is skipped when it is not configured."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return Path(folder) / "samples"


def test_every_sample_file_is_listed_here() -> None:
    root = samples_folder()
    present = {
        path.relative_to(root).as_posix()
        for folder in FOLDERS
        for path in (root / folder).iterdir()
        if path.is_file()
    }
    assert present == set(EXPECTED)


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_every_sample_is_read_or_refused_naming_file_and_record(relative: str) -> None:
    path = samples_folder() / relative
    expected = EXPECTED[relative]
    if isinstance(expected, str):
        with pytest.raises(WorkFileError, match=expected) as caught:
            read_file(path.read_bytes(), filename=path.name)
        assert str(caught.value).startswith(f"{path.name}: ")
        return
    result = read_file(path.read_bytes(), filename=path.name)
    assert (result.format, len(result.records), len(result.errors)) == expected
    labels = [w.source_record for w in result.records] + [label for label, _ in result.errors]
    assert all(labels)
    assert len(set(labels)) == len(labels)
    assert all(work.source_format == result.format for work in result.records)


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("a.txt", b"\n\nPMID- 1\nTI  - T\n", "medline_nbib"),
        ("a.txt", b"TY  - JOUR\nER  - \n", "ris"),
        ("export", b"% refs\n@article{k, title={T}}", "bibtex"),
        ("a.json", b'[{"type": "book", "title": "T"}]', "csl_json"),
        ("a.json", b'{"status": "ok", "message": {"DOI": "10.1/x"}}', "crossref_json"),
        ("a.json", b'{"bulk": []}', "orcid"),
        ("a.dat", b"<?xml version='1.0'?>\n<!-- <html> --><PubmedArticleSet/>", "pubmed_xml"),
        ("w.xml", b'<w:work xmlns:w="http://www.orcid.org/ns/work"/>', "orcid"),
        ("a.csv", b"Type,Title\n", "csv_template"),
        ("refs.ris", b"garbage that is not RIS", "ris"),
        ("refs.BIB", b"nothing here", "bibtex"),
    ],
)
def test_format_is_detected_by_content_then_by_extension(
    filename: str, data: bytes, expected: str
) -> None:
    assert detect_format(data, filename) == expected


def test_unknown_content_and_name_is_refused_listing_the_formats() -> None:
    with pytest.raises(WorkFileError, match=r"cannot tell which format.*RIS"):
        detect_format(b"hello world", "notes.txt")


def test_other_xml_is_refused_naming_its_root() -> None:
    with pytest.raises(WorkFileError, match=r"root element <html>"):
        read_file(b"<html><body>hi</body></html>", filename="page.xml")


def test_ris_extension_with_other_text_says_it_is_not_ris() -> None:
    with pytest.raises(WorkFileError, match=r"refs.ris: this is not a RIS file"):
        read_file(b"Author: Smith\nTitle: Something\n", filename="refs.ris")


def test_a_format_chosen_by_the_user_is_used_and_checked() -> None:
    data = b"TY  - JOUR\nTI  - T\nER  - \n"
    assert read_file(data, filename="export.txt", format="ris").format == "ris"
    with pytest.raises(WorkFileError, match=r"not a BibTeX file"):
        read_file(data, filename="export.txt", format="bibtex")


def test_an_unknown_format_name_is_refused() -> None:
    with pytest.raises(WorkFileError, match=r"not a format PeerMentor reads"):
        read_file(b"x", filename="x", format="endnote_xml")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""
ORCID_EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE work [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
<work:title><common:title>&xxe;</common:title></work:title></work:work>
"""


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("laughs.xml", BILLION_LAUGHS),
        ("xxe.xml", EXTERNAL_ENTITY),
        ("orcid-xxe.xml", ORCID_EXTERNAL_ENTITY),
        (
            "laughs-utf16.xml",
            BILLION_LAUGHS.decode()
            .replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1)
            .encode("utf-16"),
        ),
    ],
)
def test_entity_declarations_are_refused(name: str, data: bytes) -> None:
    with pytest.raises(WorkFileError, match=r"declares entities") as caught:
        read_file(data, filename=name)
    assert str(caught.value).startswith(f"{name}: ")
    assert "root:" not in str(caught.value)


def test_entities_are_refused_even_by_the_parser_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    from peermentor.scholarship.importers import safe_xml

    # With the byte scan switched off, the DOCTYPE check inside parsing still refuses.
    monkeypatch.setattr(safe_xml, "_ENTITY_MARKERS", ())
    for reader in (importers.pubmed_xml.read, importers.orcid.read):
        data = EXTERNAL_ENTITY if reader is importers.pubmed_xml.read else ORCID_EXTERNAL_ENTITY
        with pytest.raises(WorkFileError, match=r"declares entities"):
            reader(data, filename="xxe.xml")


def test_a_100_mb_upload_is_refused_before_any_reader_sees_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reader was called")

    for name in list(importers.READERS):
        monkeypatch.setitem(importers.READERS, name, must_not_run)
    monkeypatch.setattr(importers, "detect_format", must_not_run)
    data = b"TY  - JOUR\n" + b"x" * (100 * 1024 * 1024)
    with pytest.raises(
        WorkFileError, match=r"big.ris: the file is 100.0 MB, larger than the 50 MB"
    ):
        read_file(data, filename="big.ris")


def test_the_size_cap_is_a_parameter() -> None:
    with pytest.raises(WorkFileError, match=r"larger than"):
        read_file(b"TY  - JOUR\nTI  - T\nER  - \n", filename="a.ris", max_bytes=10)


def test_the_record_cap_is_a_parameter() -> None:
    data = b"TY  - JOUR\nTI  - T\nER  - \n" * 3
    with pytest.raises(WorkFileError, match=r"holds 3 records, more than the 2"):
        read_file(data, filename="a.ris", max_records=2)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"TY  - JOUR\x00\x01\x02binary", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11 text", "control characters"),
    ],
)
def test_empty_and_binary_uploads_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(WorkFileError, match=words) as caught:
        read_file(data, filename="upload.bin")
    assert str(caught.value).startswith("upload.bin: ")


@pytest.mark.parametrize(
    "data",
    [
        b"<?xml version='1.0'?><PubmedArticleSet><PubmedArticle><MedlineCitation>",
        b'<w:works xmlns:w="http://www.orcid.org/ns/activities"><w:group>',
    ],
)
def test_truncated_xml_is_refused(data: bytes) -> None:
    with pytest.raises(WorkFileError, match=r"not well-formed XML.*truncated"):
        read_file(data, filename="cut.xml")


def test_utf16_export_with_bom_is_read() -> None:
    data = "TY  - JOUR\nTI  - Ünïcödé\nER  - \n".encode("utf-16")
    assert read_file(data, filename="endnote.ris").records[0].title == "Ünïcödé"


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=1024),
    st.sampled_from(["a.xml", "a.json", "a.bib", "a.ris", "a.csv", "a.nbib", "a"]),
)
def test_any_upload_reads_or_raises_work_file_error(data: bytes, filename: str) -> None:
    try:
        read_file(data, filename=filename)
    except WorkFileError as error:
        message = str(error)
    else:
        return
    assert message.startswith(f"{filename}: ")
