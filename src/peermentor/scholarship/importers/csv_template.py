"""PeerMentor's own CSV template, for works that no database lists (talks, workshops,
posters, grants, awards, educational products).

The first line names the columns; ``type`` and ``title`` are required, the others optional,
in any order::

    type,title,venue,year,doi,pmid,authors

- ``type``: journal_article, review, book, chapter, presentation, workshop, poster, grant,
  award, educational_product or other (case, spaces and hyphens do not matter).
- ``title``: the title of the work.
- ``venue``: the journal, book, meeting, funder or awarding body.
- ``year``: four digits, such as 2012.
- ``doi``: bare (10.1097/ACM.0b013e3182441615) or as a https://doi.org/ link.
- ``pmid``: the PubMed ID, digits only.
- ``authors``: in byline order, separated by semicolons, each as ``Family, Given`` (or
  ``Given Family``) followed by an optional ORCID iD in square brackets; a group author is
  written in braces::

      Lord, Jennifer A [0000-0002-1825-0097]; Mourad, Michelle; {Writing Group}

The file is UTF-8 (Excel's "CSV UTF-8"); a comma, semicolon or tab separates the columns.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from peermentor.core.orcid import InvalidOrcid, normalise_orcid
from peermentor.scholarship.importers.text import decode_text
from peermentor.scholarship.records import (
    WORK_TYPES,
    AuthorRecord,
    InvalidIdentifier,
    ReadResult,
    WorkFileError,
    WorkRecord,
    clean_text,
    iso_date,
    make_author,
    normalise_doi,
    normalise_pmid,
    number_authors,
    split_name,
)

if TYPE_CHECKING:
    import _csv

FORMAT = "csv_template"
TEMPLATE_HEADER = "type,title,venue,year,doi,pmid,authors"
TEMPLATE_DESCRIPTION = __doc__ or ""
COLUMNS = tuple(TEMPLATE_HEADER.split(","))
REQUIRED_COLUMNS = ("type", "title")
_AUTHOR = re.compile(r"^(?P<name>[^\[\]]*?)\s*(?:\[(?P<orcid>[^\[\]]*)\])?\s*$")
_YEAR = re.compile(r"^[12]\d{3}$")
_MAX_FIELD = 100_000


class _RowProblem(ValueError):
    """A cell that makes its row unusable; the message says which and why."""


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of a file in PeerMentor's CSV template; a bad row is skipped with its line
    number, a bad header refuses the whole file."""
    result = ReadResult(format=FORMAT)
    text = decode_text(data, filename=filename, result=result)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        columns = _header(next(reader, []), filename)
        _read_rows(reader, columns, result)
    except csv.Error as error:
        raise WorkFileError(
            f"line {reader.line_num} is not valid CSV ({error}).", file=filename
        ) from error
    return result.require_works(file=filename, what=f"the first line must be {TEMPLATE_HEADER}")


def _delimiter(text: str) -> str:
    first_line = text.lstrip("\n").split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _header(cells: list[str], filename: str) -> list[str]:
    columns = [clean_text(cell).lower() for cell in cells]
    unknown = [column for column in columns if column not in COLUMNS]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    duplicated = sorted({column for column in columns if columns.count(column) > 1})
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(repr(c) for c in unknown)}")
    if missing:
        problems.append(f"missing required column(s) {', '.join(missing)}")
    if duplicated:
        problems.append(f"repeated column(s) {', '.join(duplicated)}")
    if problems:
        raise WorkFileError(
            f"line 1: {'; '.join(problems)}. The header must be {TEMPLATE_HEADER} "
            f"(type and title required, the others optional).",
            file=filename,
        )
    return columns


def _read_rows(reader: _csv.Reader, columns: list[str], result: ReadResult) -> None:
    start = reader.line_num + 1
    for cells in reader:
        label = f"line {start}"
        start = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        try:
            result.records.append(_record(cells, columns, label))
        except _RowProblem as problem:
            result.skip(label, str(problem))


def _record(cells: list[str], columns: list[str], label: str) -> WorkRecord:
    if len(cells) > len(columns):
        raise _RowProblem(f"The row has {len(cells)} cells but the header names {len(columns)}.")
    if any(len(cell) > _MAX_FIELD for cell in cells):
        raise _RowProblem(f"A cell is longer than {_MAX_FIELD} characters.")
    row = dict(zip(columns, (clean_text(cell) for cell in cells), strict=False))
    problems: list[str] = []
    values = {
        "type": _check(problems, _work_type, row.get("type", "")),
        "title": _check(problems, _title, row.get("title", "")),
        "year": _check(problems, _year, row.get("year", "")),
        "doi": _check(problems, _identifier(normalise_doi), row.get("doi", "")),
        "pmid": _check(problems, _identifier(normalise_pmid), row.get("pmid", "")),
        "authors": _check(problems, _authors, row.get("authors", "")),
    }
    if problems:
        raise _RowProblem(" ".join(problems))
    return WorkRecord(
        venue=row.get("venue", ""),
        date=iso_date(values["year"]),
        source_format=FORMAT,
        source_record=label,
        **values,
    )


def _check(problems: list[str], parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text)
    except _RowProblem as problem:
        problems.append(str(problem))
        return None


def _title(text: str) -> str:
    if not text:
        raise _RowProblem("The title is empty.")
    return text


def _work_type(text: str) -> str:
    value = re.sub(r"[\s-]+", "_", text.strip().lower())
    if value not in WORK_TYPES:
        raise _RowProblem(f"The type “{text}” is not one of {', '.join(WORK_TYPES)}.")
    return value


def _year(text: str) -> int | None:
    if not text:
        return None
    if not _YEAR.match(text):
        raise _RowProblem(f"The year “{text}” is not four digits such as 2012.")
    return int(text)


def _identifier(normalise: Callable[[str], str]) -> Callable[[str], str | None]:
    def parse(text: str) -> str | None:
        try:
            return normalise(text) if text else None
        except InvalidIdentifier as error:
            raise _RowProblem(str(error)) from error

    return parse


def _authors(text: str) -> tuple[AuthorRecord, ...]:
    return number_authors(_author(part) for part in text.split(";") if part.strip())


def _author(text: str) -> AuthorRecord | None:
    match = _AUTHOR.match(text.strip())
    if not match:
        raise _RowProblem(f"The author “{clean_text(text)}” is not “Family, Given [ORCID]”.")
    name, orcid_text = match.group("name"), match.group("orcid")
    try:
        orcid = normalise_orcid(orcid_text) if orcid_text else None
    except InvalidOrcid as error:
        raise _RowProblem(f"Author “{clean_text(name)}”: {error}") from error
    name = clean_text(name)
    if not name:
        raise _RowProblem(f"An author has no name: “{clean_text(text)}”.")
    if name.startswith("{") and name.endswith("}"):
        return make_author(literal=name[1:-1], orcid=orcid)
    family, given = split_name(name)
    return make_author(family=family, given=given, orcid=orcid)
