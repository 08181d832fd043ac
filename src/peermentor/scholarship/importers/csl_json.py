"""CSL-JSON, the citation data of Zotero, Mendeley, Pandoc and citeproc: an array of items or
a single item. The helpers for CSL names and dates serve the Crossref reader too."""

from __future__ import annotations

import json
from typing import Any

from peermentor.scholarship.importers.text import decode_text
from peermentor.scholarship.records import (
    AuthorRecord,
    ReadResult,
    WorkFileError,
    WorkRecord,
    as_int,
    clean_text,
    doi_or_warn,
    iso_date,
    make_author,
    number_authors,
    orcid_or_warn,
    parse_year,
    pmid_or_warn,
)

FORMAT = "csl_json"
_TYPES = {
    "article-journal": "journal_article",
    "article-magazine": "journal_article",
    "article-newspaper": "journal_article",
    "review": "review",
    "review-book": "review",
    "book": "book",
    "chapter": "chapter",
    "entry": "chapter",
    "entry-dictionary": "chapter",
    "entry-encyclopedia": "chapter",
    "paper-conference": "presentation",
    "speech": "presentation",
}
_NOT_CSL = "CSL-JSON is an array of items such as {“type”: “article-journal”, “title”: “…”}."


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of a CSL-JSON file; an item without a title is skipped with a reason."""
    result = ReadResult(format=FORMAT)
    document = load_json(data, filename=filename, result=result)
    if isinstance(document, dict) and ("$schema" in document or "properties" in document):
        raise WorkFileError(
            f"this is a JSON Schema (a description of a format), not data; {_NOT_CSL}",
            file=filename,
        )
    if not isinstance(document, list | dict):
        raise WorkFileError(f"this JSON is not CSL-JSON; {_NOT_CSL}", file=filename)
    items = document if isinstance(document, list) else [document]
    for index, item in enumerate(items, start=1):
        _read_item(item, index, result)
    return result.require_works(file=filename, what=_NOT_CSL)


def load_json(data: bytes, *, filename: str, result: ReadResult) -> Any:
    """The parsed JSON of an upload, or WorkFileError saying why it is not JSON."""
    text = decode_text(data, filename=filename, result=result)
    if text.lstrip().startswith("<"):
        raise WorkFileError("this is XML, not JSON.", file=filename)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise WorkFileError(f"this is not valid JSON ({error}).", file=filename) from error


def _read_item(item: Any, index: int, result: ReadResult) -> None:
    label = _label(item, index)
    if not isinstance(item, dict):
        result.skip(label, "The item is not a JSON object.")
        return
    title = text_of(item.get("title"))
    if not title:
        result.skip(label, "The item has no title.")
        return
    year, date = date_of(item.get("issued"))
    result.records.append(
        WorkRecord(
            type=_TYPES.get(text_of(item.get("type")).lower(), "other"),
            title=title,
            venue=text_of(item.get("container-title")),
            year=year,
            date=date,
            doi=doi_or_warn(text_of(item.get("DOI")), record=label, result=result),
            pmid=pmid_or_warn(text_of(item.get("PMID")), record=label, result=result),
            authors=authors_of(item.get("author"), label, result),
            source_format=FORMAT,
            source_record=label,
        )
    )


def _label(item: Any, index: int) -> str:
    key = item.get("id") if isinstance(item, dict) else None
    return f"item {index} (id {text_of(key)})" if text_of(key) else f"item {index}"


def text_of(value: Any) -> str:
    """A text from a JSON value that may be a string, a number or a list of strings."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str) and item.strip()), "")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return clean_text(str(value))


def date_of(value: Any) -> tuple[int | None, str | None]:
    """The year and ISO date of a CSL date: ``{"date-parts": [[2014, 2, 11]]}`` or ``raw``."""
    if not isinstance(value, dict):
        return None, None
    parts = value.get("date-parts")
    first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    numbers = [as_int(part) for part in first[:3]]
    year = parse_year(numbers[0]) if numbers and numbers[0] is not None else None
    if year is None:
        year = parse_year(text_of(value.get("raw")) or text_of(value.get("literal")))
        return year, iso_date(year)
    month, day = [*numbers, None, None][1:3]
    return year, iso_date(year, month, day)


def authors_of(value: Any, label: str, result: ReadResult) -> tuple[AuthorRecord, ...]:
    """The authors of a CSL name list, with ORCID iDs where the list carries them."""
    names = value if isinstance(value, list) else []
    authors = []
    for name in names:
        if not isinstance(name, dict):
            continue
        orcid = orcid_or_warn(text_of(name.get("ORCID")), record=label, result=result)
        literal = text_of(name.get("literal")) or text_of(name.get("name"))
        family, given = text_of(name.get("family")), text_of(name.get("given"))
        suffix = text_of(name.get("suffix"))
        particle = text_of(name.get("non-dropping-particle"))
        family = clean_text(f"{particle} {family} {suffix}") if family else ""
        authors.append(make_author(family=family, given=given, literal=literal, orcid=orcid))
    return number_authors(authors)
