"""RIS files (EndNote, Zotero, Mendeley, databases), read with rispy after EndNote's quirks
are smoothed: byte-order marks, blank or numbered lines between records, sloppy tag spacing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import rispy

from peermentor.scholarship.importers.text import decode_text
from peermentor.scholarship.records import (
    AuthorRecord,
    ReadResult,
    WorkFileError,
    WorkRecord,
    clean_text,
    doi_or_warn,
    iso_date,
    make_author,
    number_authors,
    parse_month,
    parse_year,
    pmid_or_warn,
    split_name,
)

FORMAT = "ris"
_KNOWN_TAGS = frozenset(rispy.TAG_KEY_MAPPING)
# A tag line, tolerating one or three spaces before the dash and none or two after it.
_LOOSE_TAG = re.compile(r"^([A-Z][A-Z0-9]) {1,3}-(?: {1,2}(.*)|\s*)$")
_TYPES = {
    "JOUR": "journal_article",
    "JFULL": "journal_article",
    "EJOUR": "journal_article",
    "MGZN": "journal_article",
    "NEWS": "journal_article",
    "INPR": "journal_article",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "CONF": "presentation",
    "CPAPER": "presentation",
    "SLIDE": "presentation",
    "GRANT": "grant",
}
_AUTHOR_TAGS = ("AU", "A1")
_TITLE_TAGS = ("TI", "T1", "CT", "BT")
# Where the venue is depends on the type: T2 is the journal of an article, the book of a
# chapter, the meeting of a paper, but the series (or, in Pure, a subtitle) of a book or thesis.
_VENUE_TAGS = {
    "journal_article": ("JO", "JF", "T2", "JA", "J2"),
    "chapter": ("T2", "BT", "PB"),
    "presentation": ("T2", "BT", "PB"),
}
_OTHER_VENUE_TAGS = ("PB", "JO", "JF")
_DATE_TAGS = ("PY", "Y1", "DA")
_NOT_RIS = (
    "this is not a RIS file: no line starts a record with “TY  - ” (a RIS record runs from "
    "“TY  - JOUR” to “ER  - ”)."
)


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of a RIS file; refuses a file that holds no RIS record instead of returning
    nothing."""
    result = ReadResult(format=FORMAT)
    chunks = _split_records(decode_text(data, filename=filename, result=result))
    if not chunks:
        raise WorkFileError(_NOT_RIS, file=filename)
    parser = rispy.RisParser(mapping={tag: tag for tag in _KNOWN_TAGS} | {"UK": "UK"})
    for index, chunk in enumerate(chunks, start=1):
        label = f"record {index} (line {chunk.line})"
        if chunk.ended == "end of file":
            result.skip(label, "The record has no end line “ER  - ”; the file may be truncated.")
            continue
        if chunk.ended == "next record":
            result.warn(label, "The record has no end line “ER  - ”; it was read up to the next.")
        entries = parser.parse_lines(iter([*chunk.lines, "ER  - "]))
        _read_entry(entries[0] if entries else {}, label, result)
    return result


@dataclass
class _Chunk:
    """The lines of one record, from its TY line, and how the record ended."""

    line: int
    lines: list[str] = field(default_factory=list)
    ended: str = "end of file"


def _split_records(text: str) -> list[_Chunk]:
    # Lines outside TY … ER (EndNote's "Record #1 of 2", numbering, blank lines) are dropped.
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _tidy_line(raw)
        if line.startswith("TY  -"):
            if current is not None:
                current.ended = "next record"
            current = _Chunk(line=number, lines=[line])
            chunks.append(current)
        elif current is not None and line.startswith("ER  -"):
            current.ended = "ER"
            current = None
        elif current is not None:
            current.lines.append(line)
    return chunks


def _tidy_line(line: str) -> str:
    # EndNote and some databases write "TY -  BOOK" or "ER  -" without the trailing space.
    match = _LOOSE_TAG.match(line.rstrip())
    if match and (match.group(1) in _KNOWN_TAGS or match.group(1) == "ER"):
        return f"{match.group(1)}  - {match.group(2) or ''}".rstrip()
    return line


def _read_entry(entry: dict[str, Any], label: str, result: ReadResult) -> None:
    title = _first(entry, _TITLE_TAGS)
    if not title:
        result.skip(label, "The record has no title (TI or T1).")
        return
    year, date = _date(entry)
    kind = _TYPES.get(_first(entry, ("TY",)).upper(), "other")
    result.records.append(
        WorkRecord(
            type=kind,
            title=title,
            venue=_venue(entry, kind, title),
            year=year,
            date=date,
            doi=doi_or_warn(_first(entry, ("DO",)), record=label, result=result),
            pmid=pmid_or_warn(_pmid(entry), record=label, result=result),
            authors=_authors(entry),
            source_format=FORMAT,
            source_record=label,
        )
    )


def _authors(entry: dict[str, Any]) -> tuple[AuthorRecord, ...]:
    names = next((_values(entry, tag) for tag in _AUTHOR_TAGS if _values(entry, tag)), [])
    authors = []
    for name in names:
        family, given = split_name(name)
        authors.append(make_author(family=family, given=given))
    return number_authors(authors)


def _venue(entry: dict[str, Any], kind: str, title: str) -> str:
    tags = _VENUE_TAGS.get(kind, _OTHER_VENUE_TAGS)
    candidates = (_first(entry, (tag,)) for tag in tags)
    return next((venue for venue in candidates if venue and venue != title), "")


def _date(entry: dict[str, Any]) -> tuple[int | None, str | None]:
    # RIS dates read "2014", "2014//", "1948/07//" or "2018/4/25".
    text = _first(entry, _DATE_TAGS)
    year = parse_year(text)
    parts = text.split("/")
    month = parse_month(parts[1]) if len(parts) > 1 and parts[1] else None
    day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() and len(parts[2]) <= 2 else None
    return year, iso_date(year, month, day)


def _pmid(entry: dict[str, Any]) -> str | None:
    # Databases put the PubMed ID in AN or C1 with a "PMID:" prefix, never bare.
    for tag in ("AN", "C1", "M1"):
        value = _first(entry, (tag,))
        if value.lower().startswith("pmid"):
            return value
    return None


def _first(entry: dict[str, Any], tags: tuple[str, ...]) -> str:
    return next((value for tag in tags for value in _values(entry, tag) if value), "")


def _values(entry: dict[str, Any], tag: str) -> list[str]:
    value = entry.get(tag)
    values = value if isinstance(value, list) else [value]
    return [clean_text(item) for item in values if isinstance(item, str) and item.strip()]
