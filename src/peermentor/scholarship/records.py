"""Plain records of scholarly works read from files, and the helpers that normalise their fields.

Pure module: no Django import. Every importer turns a file into :class:`WorkRecord` values
gathered in a :class:`ReadResult`; a problem with the whole file raises :class:`WorkFileError`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from nameparser import HumanName

from peermentor.core.orcid import InvalidOrcid, normalise_orcid

WORK_TYPES = (
    "journal_article",
    "review",
    "book",
    "chapter",
    "presentation",
    "workshop",
    "poster",
    "grant",
    "award",
    "educational_product",
    "other",
)

_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "dx.doi.org/",
    "doi:",
    "doi ",
)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
_PMID_SHAPE = re.compile(r"^(?:pmid:?\s*)?0*(\d{1,9})$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)([12]\d{3})(?!\d)")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_SPACES = re.compile(r"\s+")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}


class InvalidIdentifier(ValueError):
    """Raised when a text is not a well-formed DOI or PubMed identifier."""


class WorkFileError(Exception):
    """A file that cannot be imported at all; its text names the file and, if known, the record."""

    def __init__(self, message: str, *, file: str, record: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.record = record

    def __str__(self) -> str:
        place = f"{self.file}, {self.record}" if self.record else self.file
        return f"{place}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_error, (self.message, self.file, self.record))


def _rebuild_error(message: str, file: str, record: str | None) -> WorkFileError:
    return WorkFileError(message, file=file, record=record)


@dataclass(frozen=True)
class AuthorRecord:
    """One author of a work in byline order; family and given are empty for a group author."""

    name: str
    family: str
    given: str
    orcid: str | None
    position: int


@dataclass(frozen=True)
class WorkRecord:
    """One work read from a file; ``source_record`` says where in the file it came from."""

    type: str
    title: str
    venue: str
    year: int | None
    date: str | None
    doi: str | None
    pmid: str | None
    authors: tuple[AuthorRecord, ...]
    source_format: str
    source_record: str

    def __post_init__(self) -> None:
        if self.type not in WORK_TYPES:
            raise ValueError(f"unknown work type {self.type!r}")


@dataclass
class ReadResult:
    """The works read from one file, the records skipped (errors) and the notes on kept ones."""

    format: str
    records: list[WorkRecord] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, record: str, message: str) -> None:
        """Note that a record was left out, and why."""
        self.errors.append((record, message))

    def warn(self, record: str, message: str) -> None:
        """Note a problem in a record that was kept, such as an identifier that was dropped."""
        self.warnings.append((record, message))

    def require_works(self, *, file: str, what: str) -> ReadResult:
        """This result, or WorkFileError when the file held no record at all."""
        if not self.records and not self.errors:
            raise WorkFileError(f"no works were found in it; {what}", file=file)
        return self


def clean_text(text: str | None) -> str:
    """The text in Unicode NFC with runs of white space made single spaces, or an empty text."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def normalise_doi(text: str) -> str:
    """The bare lower-case ``10.xxxx/yyy`` form of a DOI given bare, as a URL or as ``doi:``."""
    value = clean_text(text)
    lowered = value.lower()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix) :].strip()
            break
    if "%" in value:
        value = unquote(value)
    value = value.lower()
    if not _DOI_SHAPE.match(value):
        raise InvalidIdentifier(
            f"“{clean_text(text)}” is not a DOI: a DOI looks like 10.1234/abcd."
        )
    return value


def normalise_pmid(text: str) -> str:
    """The digits of a PubMed identifier given bare or as ``PMID: 123``."""
    match = _PMID_SHAPE.match(clean_text(text))
    if not match or match.group(1) == "0":
        raise InvalidIdentifier(f"“{clean_text(text)}” is not a PubMed ID: it should be digits.")
    return match.group(1)


def doi_or_warn(text: str | None, *, record: str, result: ReadResult) -> str | None:
    """The normalised DOI, or None with a warning on the result when the text is not a DOI."""
    if not text or not text.strip():
        return None
    try:
        return normalise_doi(text)
    except InvalidIdentifier as error:
        result.warn(record, f"{error} It was left out.")
        return None


def pmid_or_warn(text: str | None, *, record: str, result: ReadResult) -> str | None:
    """The normalised PubMed ID, or None with a warning when the text is not one."""
    if not text or not text.strip():
        return None
    try:
        return normalise_pmid(text)
    except InvalidIdentifier as error:
        result.warn(record, f"{error} It was left out.")
        return None


def orcid_or_warn(text: str | None, *, record: str, result: ReadResult) -> str | None:
    """The normalised ORCID iD, or None with a warning when the text is not a valid one."""
    if not text or not text.strip():
        return None
    try:
        return normalise_orcid(text)
    except InvalidOrcid as error:
        result.warn(record, f"{error} The ORCID iD was left out.")
        return None


def parse_year(text: str | int | None) -> int | None:
    """The first plausible four-digit year (1000 to 2999) in a text, or None."""
    if isinstance(text, int):
        return text if 1000 <= text <= 2999 else None
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def parse_month(text: str | int | None) -> int | None:
    """A month number from ``6``, ``06``, ``Jun`` or ``June``, or None."""
    if isinstance(text, int):
        return text if 1 <= text <= 12 else None
    value = clean_text(text).lower()
    if value.isascii() and value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value[:3])


def iso_date(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """An ISO 8601 date as precise as the parts allow (``2014``, ``2014-02``, ``2014-02-11``)."""
    if year is None:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def as_int(text: str | int | None) -> int | None:
    """The integer in a short text of digits, or None."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    value = clean_text(text if isinstance(text, str) else None)
    # ASCII only: "²" passes isdigit() but int() refuses it.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else None


def split_name(text: str) -> tuple[str, str]:
    """The (family, given) parts of a personal name written ``Family, Given[, Suffix]``,
    ``Family GH`` (initials) or ``Given Family``."""
    value = clean_text(text)
    if "," in value:
        family, given, *rest = (clean_text(part) for part in value.split(","))
        return clean_text(" ".join([family, *rest])), given
    words = value.split(" ")
    if len(words) > 1 and _INITIALS.match(words[-1]):
        return " ".join(words[:-1]), words[-1]
    parsed = HumanName(value)
    if not parsed.last:
        return value, ""
    return clean_text(f"{parsed.last} {parsed.suffix}"), clean_text(
        f"{parsed.first} {parsed.middle}"
    )


def make_author(
    *, family: str = "", given: str = "", literal: str = "", orcid: str | None = None
) -> AuthorRecord | None:
    """An author from name parts, or from a literal name when the parts are empty; None if
    there is no name at all (the position is set by :func:`number_authors`)."""
    family, given = clean_text(family), clean_text(given)
    name = clean_text(f"{given} {family}") if family or given else clean_text(literal)
    if not name:
        return None
    return AuthorRecord(name=name, family=family, given=given, orcid=orcid, position=0)


def number_authors(authors: Iterable[AuthorRecord | None]) -> tuple[AuthorRecord, ...]:
    """The authors that have a name, numbered 1, 2, 3… in the order given."""
    named = [author for author in authors if author is not None]
    return tuple(replace(author, position=n) for n, author in enumerate(named, start=1))
