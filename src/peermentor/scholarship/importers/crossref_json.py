"""Crossref REST API JSON (``api.crossref.org/works/<doi>``): one work, with or without the
``{"status", "message"}`` envelope, or a ``work-list`` of them."""

from __future__ import annotations

from typing import Any

from peermentor.scholarship.importers.csl_json import authors_of, date_of, load_json, text_of
from peermentor.scholarship.importers.text import leading_text
from peermentor.scholarship.records import (
    ReadResult,
    WorkFileError,
    WorkRecord,
    clean_text,
    doi_or_warn,
)

FORMAT = "crossref_json"
_TYPES = {
    "journal-article": "journal_article",
    "book": "book",
    "edited-book": "book",
    "monograph": "book",
    "reference-book": "book",
    "book-set": "book",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "reference-entry": "chapter",
    "proceedings-article": "presentation",
    "grant": "grant",
}
_DATE_KEYS = ("issued", "published", "published-print", "published-online")
_NOT_CROSSREF = "Crossref JSON is what https://api.crossref.org/works/<DOI> returns."


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of a Crossref JSON file; a Crossref error response is refused with its
    message."""
    result = ReadResult(format=FORMAT)
    if leading_text(data).startswith("<"):
        raise WorkFileError(
            f"this is XML (Crossref's UNIXREF or query output), which PeerMentor does not "
            f"read; {_NOT_CROSSREF}",
            file=filename,
        )
    document = load_json(data, filename=filename, result=result)
    for index, item in enumerate(_items(document, filename), start=1):
        _read_work(item, index, result)
    return result.require_works(file=filename, what=_NOT_CROSSREF)


def _items(document: Any, filename: str) -> list[Any]:
    if not isinstance(document, dict):
        raise WorkFileError(f"this JSON is not a Crossref work; {_NOT_CROSSREF}", file=filename)
    if document.get("status") not in (None, "ok"):
        raise WorkFileError(
            f"this is a Crossref error response: {clean_text(str(document.get('message')))}",
            file=filename,
        )
    message = document.get("message", document)
    if isinstance(message, dict) and isinstance(message.get("items"), list):
        return list(message["items"])
    if isinstance(message, dict) and ("DOI" in message or "title" in message):
        return [message]
    raise WorkFileError(f"this JSON is not a Crossref work; {_NOT_CROSSREF}", file=filename)


def _read_work(item: Any, index: int, result: ReadResult) -> None:
    doi = text_of(item.get("DOI")) if isinstance(item, dict) else ""
    label = f"work {index} (DOI {doi})" if doi else f"work {index}"
    if not isinstance(item, dict):
        result.skip(label, "The work is not a JSON object.")
        return
    title, subtitle = text_of(item.get("title")), text_of(item.get("subtitle"))
    if not title:
        result.skip(label, "The work has no title.")
        return
    year, date = next(
        (date_of(item[key]) for key in _DATE_KEYS if date_of(item.get(key))[0]), (None, None)
    )
    result.records.append(
        WorkRecord(
            type=_TYPES.get(text_of(item.get("type")).lower(), "other"),
            title=f"{title}: {subtitle}" if subtitle else title,
            venue=text_of(item.get("container-title")),
            year=year,
            date=date,
            doi=doi_or_warn(doi, record=label, result=result),
            pmid=None,
            authors=authors_of(item.get("author"), label, result),
            source_format=FORMAT,
            source_record=label,
        )
    )
