"""MEDLINE tagged text (PubMed's "Send to → Citation manager" ``.nbib`` files).

Each line is ``TAG - value`` with the tag padded to four characters; a value continues on
lines indented by six spaces; records are separated by blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    orcid_or_warn,
    parse_month,
    parse_year,
    pmid_or_warn,
    split_name,
)

FORMAT = "medline_nbib"
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}- ?(.*)$")
_CONTINUATION = re.compile(r"^\s+\S")
_REVIEW_TYPES = {"review", "systematic review", "scoping review"}
_PRESENTATION_TYPES = {"congress", "lecture", "address"}


@dataclass
class _Record:
    """The tagged lines of one MEDLINE record, in file order."""

    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)

    def first(self, tag: str) -> str:
        return next((value for key, value in self.fields if key == tag), "")

    def all(self, tag: str) -> list[str]:
        return [value for key, value in self.fields if key == tag]


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of a MEDLINE ``.nbib`` file; a record without a title is skipped with a reason."""
    result = ReadResult(format=FORMAT)
    records = _split_records(decode_text(data, filename=filename, result=result), filename)
    for index, record in enumerate(records, start=1):
        _read_record(record, index, result)
    return result


def _split_records(text: str, filename: str) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = None
            continue
        match = _TAG_LINE.match(line)
        if current is not None and (_CONTINUATION.match(line) or not match):
            _continue_value(current, line)
        elif match:
            if current is None:
                current = _Record(line=number)
                records.append(current)
            current.fields.append((match.group(1), match.group(2).strip()))
        else:
            raise _not_medline(filename, number)
    if not any(record.first("PMID") or record.first("TI") for record in records):
        raise _not_medline(filename, 1)
    return records


def _continue_value(record: _Record, line: str) -> None:
    tag, value = record.fields[-1]
    record.fields[-1] = (tag, f"{value} {line.strip()}".strip())


def _not_medline(filename: str, line: int) -> WorkFileError:
    return WorkFileError(
        f"this is not a MEDLINE (.nbib) file: line {line} is not a “TAG - value” line, and "
        "MEDLINE records start with “PMID- ”.",
        file=filename,
    )


def _read_record(record: _Record, index: int, result: ReadResult) -> None:
    pmid = record.first("PMID")
    label = f"PMID {pmid}" if pmid else f"record {index} (line {record.line})"
    title = clean_text(record.first("TI") or record.first("BTI"))
    if not title:
        result.skip(label, "The record has no title (TI).")
        return
    year = parse_year(record.first("DP"))
    result.records.append(
        WorkRecord(
            type=_work_type(record),
            title=title,
            venue=clean_text(record.first("JT") or record.first("TA") or record.first("BTI")),
            year=year,
            date=_date(record.first("DP"), year),
            doi=doi_or_warn(_doi(record), record=label, result=result),
            pmid=pmid_or_warn(pmid, record=label, result=result),
            authors=_authors(record, label, result),
            source_format=FORMAT,
            source_record=label,
        )
    )


def _authors(record: _Record, label: str, result: ReadResult) -> tuple[AuthorRecord, ...]:
    # FAU opens an author; the AU right after it is the same person; AUID belongs to the
    # author just before it; CN is a group author in byline order.
    authors: list[dict[str, str]] = []
    for tag, value in record.fields:
        if tag == "FAU" or (tag == "AU" and not _open_for_short_name(authors)):
            authors.append({"full": value} if tag == "FAU" else {"short": value})
        elif tag == "AU":
            authors[-1]["short"] = value
        elif tag == "CN":
            authors.append({"group": value})
        elif tag == "AUID" and authors and value.upper().startswith("ORCID:"):
            authors[-1]["orcid"] = value.split(":", 1)[1]
    return number_authors(_author(author, label, result) for author in authors)


def _open_for_short_name(authors: list[dict[str, str]]) -> bool:
    return bool(authors) and "full" in authors[-1] and "short" not in authors[-1]


def _author(author: dict[str, str], label: str, result: ReadResult) -> AuthorRecord | None:
    orcid = orcid_or_warn(author.get("orcid"), record=label, result=result)
    if "group" in author:
        return make_author(literal=author["group"], orcid=orcid)
    family, given = split_name(author.get("full") or author.get("short", ""))
    return make_author(family=family, given=given, orcid=orcid)


def _doi(record: _Record) -> str | None:
    for value in [*record.all("LID"), *record.all("AID")]:
        if value.lower().endswith("[doi]"):
            return value[: -len("[doi]")].strip()
    return None


def _date(text: str, year: int | None) -> str | None:
    # DP reads "2002 Sep", "2010 Mar 15", "2018" or a season such as "2001 Winter".
    words = text.split()
    month = parse_month(words[1]) if len(words) > 1 else None
    day = int(words[2]) if len(words) > 2 and words[2].isdigit() and len(words[2]) <= 2 else None
    return iso_date(year, month, day)


def _work_type(record: _Record) -> str:
    types = {value.lower() for value in record.all("PT")}
    if record.first("BTI"):
        return "chapter" if record.first("TI") else "book"
    if types & _REVIEW_TYPES:
        return "review"
    if types & _PRESENTATION_TYPES and "journal article" not in types:
        return "presentation"
    return "journal_article"
