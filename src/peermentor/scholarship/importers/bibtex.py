"""BibTeX and BibLaTeX files, read with bibtexparser 2: ``@string`` macros resolved, LaTeX
accents decoded, authors split on ``and`` (in any case) into family and given names."""

from __future__ import annotations

import re
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.library import Library
from bibtexparser.model import Block, DuplicateBlockKeyBlock, Entry, ParsingFailedBlock, String

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
)

FORMAT = "bibtex"
_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RAW_KEY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*([^,\s{}()]+)\s*,")
_BRACES = str.maketrans("", "", "{}")
_TYPES = {
    "article": "journal_article",
    "book": "book",
    "mvbook": "book",
    "proceedings": "book",
    "collection": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "bookinbook": "chapter",
    "inproceedings": "presentation",
    "conference": "presentation",
}
_VENUE_FIELDS = ("journal", "journaltitle", "booktitle", "series", "publisher", "school")
_NOT_BIBTEX = "a BibTeX file holds entries such as “@article{key, title = {…}, …}”."


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of a BibTeX file; an entry that cannot be parsed is skipped with its key and
    line."""
    result = ReadResult(format=FORMAT)
    text = decode_text(data, filename=filename, result=result)
    if not _ENTRY_START.search(text):
        raise WorkFileError(f"this is not a BibTeX file; {_NOT_BIBTEX}", file=filename)
    library = _parse(text, filename)
    for block in library.failed_blocks:
        result.skip(_block_label(block), _failure_reason(block))
    for entry in library.entries:
        _read_entry(entry, result)
    return result.require_works(file=filename, what=_NOT_BIBTEX)


def _parse(text: str, filename: str) -> Library:
    stack = [
        middlewares.ResolveStringReferencesMiddleware(),
        middlewares.RemoveEnclosingMiddleware(),
        middlewares.NormalizeFieldKeys(),
        # Braced groups are kept through decoding so that "{World Health Organization}" stays
        # one name when authors are split; the braces are dropped afterwards.
        middlewares.LatexDecodingMiddleware(keep_braced_groups=True),
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
    ]
    try:
        return bibtexparser.parse_string(text, parse_stack=stack)
    except Exception as error:  # the parser fails hard on some malformed input; say so clearly
        raise WorkFileError(
            f"the BibTeX parser could not read this file ({type(error).__name__}: {error}).",
            file=filename,
        ) from error


def _read_entry(entry: Entry, result: ReadResult) -> None:
    label = _block_label(entry)
    title = _field(entry, "title")
    if not title:
        result.skip(label, "The entry has no title.")
        return
    year = parse_year(_field(entry, "year")) or parse_year(_field(entry, "date"))
    result.records.append(
        WorkRecord(
            type=_TYPES.get(entry.entry_type.lower(), "other"),
            title=title,
            venue=next((v for v in (_field(entry, k) for k in _VENUE_FIELDS) if v), ""),
            year=year,
            date=_date(entry, year),
            doi=doi_or_warn(_field(entry, "doi"), record=label, result=result),
            pmid=pmid_or_warn(_pmid_text(entry), record=label, result=result),
            authors=_authors(entry.fields_dict.get("author")),
            source_format=FORMAT,
            source_record=label,
        )
    )


def _authors(field: Any) -> tuple[AuthorRecord, ...]:
    names = field.value if field is not None and isinstance(field.value, list) else []
    authors = []
    for parts in names:
        if not isinstance(parts, middlewares.NameParts):
            continue
        family = _plain(" ".join([*parts.von, *parts.last, *parts.jr]))
        given = _plain(" ".join(parts.first))
        if family.lower() != "others":
            authors.append(make_author(family=family, given=given))
    return number_authors(authors)


def _date(entry: Entry, year: int | None) -> str | None:
    month = parse_month(_field(entry, "month"))
    date = _field(entry, "date")
    if month is None and re.match(r"^\d{4}-\d{2}", date):
        month = parse_month(date[5:7])
    return iso_date(year, month)


def _pmid_text(entry: Entry) -> str:
    if _field(entry, "eprinttype").lower() == "pubmed":
        return _field(entry, "eprint")
    return _field(entry, "pmid")


def _field(entry: Entry, key: str) -> str:
    field = entry.fields_dict.get(key)
    return _plain(field.value) if field is not None and isinstance(field.value, str) else ""


def _plain(text: str) -> str:
    return clean_text(text.translate(_BRACES))


def _block_label(block: Block) -> str:
    original = block.ignore_error_block if isinstance(block, ParsingFailedBlock) else block
    line = f"line {block.start_line + 1}" if block.start_line is not None else "unknown line"
    if isinstance(original, Entry):
        return f"entry {original.key} ({line})"
    if isinstance(original, String):
        return f"@string {original.key} ({line})"
    key = _RAW_KEY.match(block.raw or "")
    return f"entry {key.group(1)} ({line})" if key else f"block at {line}"


def _failure_reason(block: ParsingFailedBlock) -> str:
    if isinstance(block, DuplicateBlockKeyBlock):
        return f"Another entry already uses the key “{block.key}”; this one was left out."
    error = block.error
    reason = clean_text(getattr(error, "abort_reason", None) or str(error))
    return f"This could not be read ({reason or type(error).__name__}); it was left out."
