"""Publication files to plain work records: the reader is chosen by content, then by file name,
and oversized or binary uploads are refused before any parser sees them.

Pure package: no Django import. ``read_file`` is the entry point; each format module also
offers ``read(data, *, filename)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from peermentor.scholarship.importers import (
    bibtex,
    crossref_json,
    csl_json,
    csv_template,
    medline_nbib,
    orcid,
    pubmed_xml,
    ris,
)
from peermentor.scholarship.importers.text import leading_text, reject_binary
from peermentor.scholarship.records import ReadResult, WorkFileError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_RECORDS = 20_000
READERS: dict[str, Callable[..., ReadResult]] = {
    pubmed_xml.FORMAT: pubmed_xml.read,
    medline_nbib.FORMAT: medline_nbib.read,
    orcid.FORMAT: orcid.read,
    bibtex.FORMAT: bibtex.read,
    ris.FORMAT: ris.read,
    csl_json.FORMAT: csl_json.read,
    crossref_json.FORMAT: crossref_json.read,
    csv_template.FORMAT: csv_template.read,
}
FORMAT_LABELS = {
    pubmed_xml.FORMAT: "PubMed XML",
    medline_nbib.FORMAT: "MEDLINE / PubMed .nbib",
    orcid.FORMAT: "ORCID (JSON or XML)",
    bibtex.FORMAT: "BibTeX",
    ris.FORMAT: "RIS (EndNote, Zotero, Mendeley)",
    csl_json.FORMAT: "CSL-JSON",
    crossref_json.FORMAT: "Crossref JSON",
    csv_template.FORMAT: "PeerMentor CSV template",
}
_EXTENSIONS = {
    ".nbib": medline_nbib.FORMAT,
    ".medline": medline_nbib.FORMAT,
    ".bib": bibtex.FORMAT,
    ".bibtex": bibtex.FORMAT,
    ".ris": ris.FORMAT,
    ".csv": csv_template.FORMAT,
}
_SNIFF_BYTES = 65_536
_XML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_XML_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_PUBMED_ROOTS = {"PubmedArticleSet", "PubmedArticle", "PubmedBookArticle"}
_CROSSREF_XML_ROOTS = {"crossref_result", "doi_records", "doi_record", "crossref"}
_ORCID_JSON_KEYS = re.compile(
    r'"(?:bulk|activities-summary|orcid-identifier|put-code|work-summary|external-ids'
    r'|contributor-attributes)"'
)
_CROSSREF_JSON_KEYS = re.compile(r'"(?:message-type|reference-count|is-referenced-by-count)"')
_RIS = re.compile(r"^TY {1,3}- ", re.MULTILINE)
_MEDLINE = re.compile(r"^(?:PMID|PMC|OWN|STAT) ?- ", re.MULTILINE)
_BIBTEX = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)


def read_file(
    data: bytes,
    *,
    filename: str,
    format: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_records: int = DEFAULT_MAX_RECORDS,
) -> ReadResult:
    """The works in an uploaded publication file, in the given format or the detected one;
    WorkFileError, naming the file, when it cannot be imported at all."""
    _check_size(data, filename=filename, max_bytes=max_bytes)
    reject_binary(data, filename=filename)
    chosen = format or detect_format(data, filename)
    if chosen not in READERS:
        raise WorkFileError(f"“{chosen}” is not a format PeerMentor reads.", file=filename)
    result = READERS[chosen](data, filename=filename)
    count = len(result.records) + len(result.errors)
    if count > max_records:
        raise WorkFileError(
            f"it holds {count} records, more than the {max_records} one import may hold; "
            "split it into smaller files.",
            file=filename,
        )
    return result


def detect_format(data: bytes, filename: str) -> str:
    """The name of the format of a publication file, by its content first and then by its
    file name's extension; WorkFileError when neither tells."""
    head = leading_text(data, _SNIFF_BYTES)
    found = _sniff(head, filename) or _EXTENSIONS.get(PurePath(filename).suffix.lower())
    if found is None:
        labels = ", ".join(FORMAT_LABELS.values())
        raise WorkFileError(
            f"PeerMentor cannot tell which format this file is in. It reads {labels}.",
            file=filename,
        )
    return found


def _check_size(data: bytes, *, filename: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise WorkFileError(
            f"the file is {len(data) / 1_048_576:.1f} MB, larger than the "
            f"{max_bytes / 1_048_576:.0f} MB an import may be; split it into smaller files.",
            file=filename,
        )


def _sniff(head: str, filename: str) -> str | None:
    if head.startswith("<"):
        return _sniff_xml(head, filename)
    if head.startswith(("{", "[")):
        return _sniff_json(head)
    if _RIS.search(head):
        return ris.FORMAT
    if _MEDLINE.search(head):
        return medline_nbib.FORMAT
    if _BIBTEX.search(head):
        return bibtex.FORMAT
    first_line = head.split("\n", 1)[0].lower()
    if "type" in first_line and "title" in first_line:
        return csv_template.FORMAT
    return None


def _sniff_xml(head: str, filename: str) -> str:
    match = _XML_ROOT.search(_XML_COMMENT.sub("", head))
    root = match.group(1) if match else ""
    if root in _PUBMED_ROOTS:
        return pubmed_xml.FORMAT
    if "http://www.orcid.org/ns/" in head:
        return orcid.FORMAT
    if root in _CROSSREF_XML_ROOTS:
        raise WorkFileError(
            "this is Crossref XML, which PeerMentor does not read; download the same work as "
            "JSON from https://api.crossref.org/works/<DOI> instead.",
            file=filename,
        )
    raise WorkFileError(
        f"this XML (root element <{root or '?'}>) is neither PubMed XML nor ORCID XML.",
        file=filename,
    )


def _sniff_json(head: str) -> str:
    if '"$schema"' in head:
        return csl_json.FORMAT
    if _CROSSREF_JSON_KEYS.search(head) or ('"status"' in head and '"message"' in head):
        return crossref_json.FORMAT
    if _ORCID_JSON_KEYS.search(head):
        return orcid.FORMAT
    return csl_json.FORMAT
