"""Duplicate works across sources found by DOI, then PubMed ID, then title and year, and merged.

Pure module: no Django import. Titles are compared only within blocks of the same year, the
year before and the year after; inside a block a cheap filter on letter counts, worked out for
the whole block at once with numpy, leaves only the pairs that could reach the similarity
threshold, and rapidfuzz compares just those. The filter follows from the rule itself (see
:func:`letter_count_bound`), so the blocks find exactly what comparing every pair would.
Blocks of shared title words or first authors were considered and rejected: the same title
in British and American spelling ("Paediatric anaesthesia" / "Pediatric anesthesia") shares
no word at all, and sources disagree on the first author's spelling.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

import numpy as np
from rapidfuzz import fuzz
from scipy.spatial.distance import cdist
from unidecode import unidecode

from peermentor.scholarship.matching import families_agree, family_parts
from peermentor.scholarship.records import (
    AuthorRecord,
    InvalidIdentifier,
    WorkRecord,
    normalise_doi,
    normalise_pmid,
)

Reason = Literal["doi", "pmid", "title"]
N = TypeVar("N", float, np.ndarray)

# Normalised titles scoring at least this (see title_similarity) are the same title. At 93 two
# 60-letter titles may differ by about four changed letters (plurals, hyphens, British spelling,
# a typo) but not by a word of their own; "Part 1"/"Part 2", "Phase II"/"Phase III" and errata
# score higher than that and are kept apart by the number and notice checks instead.
TITLE_THRESHOLD = 93.0
# Shorter titles ("Editorial", "In reply", "Letter to the editor") name no particular work.
MIN_TITLE_WORDS = 3
# Publication years may differ by this much between sources (online first, issue year).
YEAR_TOLERANCE = 1

STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or our the their to via "  # noqa: SIM905
    "vs versus with de des du la le les el en y und der die das".split()
)
# Words that make a title a notice about another work; they must agree between duplicates.
NOTICE_WORDS = frozenset(
    "correction corrigendum erratum errata retraction retracted reply response comment "  # noqa: SIM905
    "commentary addendum withdrawn".split()
)
# Roman numerals ("Part II", "Phase III"); a lone "i" is the pronoun more often than a number.
_ROMAN = frozenset("ii iii iv v vi vii viii ix x xi xii".split())  # noqa: SIM905
# Apostrophes join ("children's" → "childrens"); any other character but a–z and 0–9 separates.
_PUNCTUATION = str.maketrans(
    {chr(c): None if chr(c) in "'`" else " " for c in range(128) if not chr(c).isalnum()}
)
# The shape normalise_doi gives: lower-case printable ASCII, no "%", no white space.
_NORMAL_DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/[!-$&-@\[-~]+$")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 "
_ALPHABET_CODES = np.array([ord(c) for c in _ALPHABET])
# Letters in groups of roughly equal frequency in English titles, for the coarse first pass.
_GROUP_LETTERS = (" ", "e", "ta", "oi", "ns", "rhl", "dcum", "fpgwyb", "vkxjqz0123456789")
_GROUPS = np.array([[float(c in g) for g in _GROUP_LETTERS] for c in _ALPHABET])
_CHUNK = 128


@dataclass(frozen=True)
class WorkKey:
    """A work already stored, as far as duplicate finding needs it."""

    id: Hashable
    doi: str | None
    pmid: str | None
    title: str
    year: int | None
    first_author_family: str = ""

    @classmethod
    def from_record(cls, record: WorkRecord, id: Hashable) -> WorkKey:
        """The key of a work record, under the given id."""
        return cls(id, record.doi, record.pmid, record.title, record.year, first_family(record))


@dataclass(frozen=True)
class Match:
    """An incoming work that duplicates a stored work (``existing_id``) or an earlier work of
    the same file (``duplicate_of_incoming_index``, the one kept); exactly one of them is set."""

    incoming_index: int
    existing_id: Hashable | None
    duplicate_of_incoming_index: int | None
    reason: Reason
    score: float = 100.0


@dataclass(frozen=True, slots=True)
class _Prepared:
    doi: str | None
    pmid: str | None
    year: int | None
    plain: str
    sorted: str
    numbers: tuple[str, ...]
    notices: tuple[str, ...]
    family: str
    comparable: bool


def normalise_title(title: str) -> str:
    """A title as compared: ASCII, lower-case, no punctuation, stop words left out."""
    text = title or ""
    text = (text if text.isascii() else unidecode(text)).lower().replace("&", " and ")
    return " ".join(w for w in text.translate(_PUNCTUATION).split() if w not in STOP_WORDS)


def title_similarity(a: str, b: str) -> float:
    """How alike two titles are (0–100) after :func:`normalise_title`: rapidfuzz's token-sort
    ratio, or the plain ratio when higher (a typo in a word's first letters moves it in the
    sorted order, which the token-sort ratio alone would punish as a whole word)."""
    a, b = normalise_title(a), normalise_title(b)
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def letter_count_bound(length_a: N, length_b: N, threshold: float = TITLE_THRESHOLD) -> N:
    """The largest letter-count difference two titles of these lengths may have and still
    reach the threshold.

    rapidfuzz's ratio is ``1 - indel / (la + lb)``. One insertion or deletion changes one
    letter's count by one, so ``indel`` is at least the sum over letters of the difference in
    counts; a ratio of ``t`` needs that sum to be at most ``(1 - t)(la + lb)``. Counts ignore
    word order, so the bound holds for the plain and the token-sort ratio alike."""
    bound: N = (1 - threshold / 100) * (length_a + length_b)
    return bound


def first_family(record: WorkRecord) -> str:
    """The family name of a work's first author, or an empty text (no authors, a group)."""
    first = min(record.authors, key=lambda a: a.position, default=None)
    return first.family if first else ""


def is_duplicate(a: WorkKey, b: WorkKey) -> tuple[Reason, float] | None:
    """Why two works are the same work (and how similar their titles are), or None."""
    return _link(_prepare(a), _prepare(b))


def find_duplicates(existing: Sequence[WorkKey], incoming: Sequence[WorkRecord]) -> list[Match]:
    """The incoming works that are already stored or repeat an earlier incoming work, matched
    by DOI, then PubMed ID, then title and year; the others are new."""
    stored = [_prepare(key) for key in existing]
    new = [_prepare(WorkKey.from_record(record, index)) for index, record in enumerate(incoming)]
    new_titles = _Titles(new)
    links = _Links(
        stored_ids=_IdIndex(stored),
        new_ids=_IdIndex(new),
        stored_titles=new_titles.candidates(_Titles(stored), earlier_only=False),
        new_titles=new_titles.candidates(new_titles, earlier_only=True),
    )
    roots: list[tuple[Hashable | None, int | None]] = []
    matches: list[Match] = []
    for index, work in enumerate(new):
        found = links.strongest(index, work, stored, new)
        if found is None:
            roots.append((None, index))
            continue
        side, target, reason, score = found
        root = (existing[target].id, None) if side == "existing" else roots[target]
        roots.append(root)
        matches.append(Match(index, root[0], root[1], reason, score))
    return matches


def merge_records(a: WorkRecord, b: WorkRecord) -> WorkRecord:
    """One record of a work from two records of it: each field from the richer record, ``a``
    on ties; the source fields stay ``a``'s (the stored work keeps every source anyway)."""
    year, date = _richer_date(a, b)
    return replace(
        a,
        type=b.type if a.type in _GENERIC_TYPES and b.type not in _GENERIC_TYPES else a.type,
        title=_longer(a.title, b.title),
        venue=_longer(a.venue, b.venue),
        year=year,
        date=date,
        doi=a.doi or b.doi,
        pmid=a.pmid or b.pmid,
        authors=_richer_authors(a.authors, b.authors),
    )


_GENERIC_TYPES = frozenset({"other", "journal_article"})


@dataclass
class _Links:
    """Where each incoming work may link: identifier indexes and title candidates."""

    stored_ids: _IdIndex
    new_ids: _IdIndex
    stored_titles: dict[int, list[int]]
    new_titles: dict[int, list[int]]

    def strongest(
        self, index: int, work: _Prepared, stored: list[_Prepared], new: list[_Prepared]
    ) -> tuple[str, int, Reason, float] | None:
        """The strongest link of one incoming work: DOI, then PubMed ID, then title; at each
        level a stored work before an earlier incoming one."""
        for reason in ("doi", "pmid"):
            target = self.stored_ids.find(reason, work)
            if target is not None:
                return "existing", target, reason, 100.0
            target = self.new_ids.find(reason, work, before=index)
            if target is not None:
                return "incoming", target, reason, 100.0
        hit = _best_title(work, self.stored_titles.get(index, ()), stored)
        if hit is not None:
            return "existing", hit[0], "title", hit[1]
        hit = _best_title(work, self.new_titles.get(index, ()), new)
        if hit is not None:
            return "incoming", hit[0], "title", hit[1]
        return None


class _IdIndex:
    """The first work holding each DOI and each PubMed ID."""

    def __init__(self, works: list[_Prepared]) -> None:
        self.maps: dict[str, dict[str, int]] = {"doi": {}, "pmid": {}}
        for position, work in enumerate(works):
            if work.doi:
                self.maps["doi"].setdefault(work.doi, position)
            if work.pmid:
                self.maps["pmid"].setdefault(work.pmid, position)

    def find(self, kind: str, work: _Prepared, before: int | None = None) -> int | None:
        """The first work with the same identifier of this kind (before ``before``, if given)."""
        value = work.doi if kind == "doi" else work.pmid
        position = self.maps[kind].get(value) if value else None
        if position is None or (before is not None and position >= before):
            return None
        return position


class _Titles:
    """The letter counts of the comparable titles of some works, grouped by year."""

    def __init__(self, works: list[_Prepared]) -> None:
        usable = [i for i, w in enumerate(works) if w.comparable and w.year is not None]
        self.positions = np.array(usable, dtype=np.int64)
        self.fine = _letter_counts([works[i].plain for i in usable])
        self.coarse = self.fine @ _GROUPS
        self.lengths = self.fine.sum(axis=1)
        years = np.array([works[i].year for i in usable], dtype=np.int64)
        self.by_year = {int(y): np.flatnonzero(years == y) for y in np.unique(years)}

    def candidates(self, choices: _Titles, *, earlier_only: bool) -> dict[int, list[int]]:
        """For each work here, the works in ``choices`` within a year whose letter counts
        allow a similar title (only those earlier in the list, if ``earlier_only``)."""
        found: dict[int, list[int]] = defaultdict(list)
        for year, rows in self.by_year.items():
            span = range(year - YEAR_TOLERANCE, year + YEAR_TOLERANCE + 1)
            near = [choices.by_year[y] for y in span if y in choices.by_year]
            if not near:
                continue
            columns = np.concatenate(near)
            columns = columns[np.argsort(choices.lengths[columns], kind="stable")]
            rows = rows[np.argsort(self.lengths[rows], kind="stable")]
            for start in range(0, len(rows), _CHUNK):
                chunk = rows[start : start + _CHUNK]
                band = columns[_length_band(self.lengths[chunk], choices.lengths[columns])]
                if not len(band):
                    continue
                for q, c in self._pairs(chunk, choices, band):
                    query, choice = int(self.positions[q]), int(choices.positions[c])
                    if not earlier_only or choice < query:
                        found[query].append(choice)
        return found

    def _pairs(
        self, rows: np.ndarray, choices: _Titles, columns: np.ndarray
    ) -> Iterable[tuple[int, int]]:
        # Coarse letter groups first (cheap, a weaker bound), then every letter on the rest.
        bound = letter_count_bound(self.lengths[rows][:, None], choices.lengths[columns][None, :])
        bound = bound + 1e-9
        coarse = cdist(self.coarse[rows], choices.coarse[columns], "cityblock")
        q, c = np.nonzero(coarse <= bound)
        fine = np.abs(self.fine[rows[q]] - choices.fine[columns[c]]).sum(axis=1)
        keep = fine <= bound[q, c]
        return zip(rows[q[keep]].tolist(), columns[c[keep]].tolist(), strict=True)


def _length_band(lengths: np.ndarray, sorted_lengths: np.ndarray) -> slice:
    """The slice of titles, sorted by length, long enough and short enough to reach the
    threshold against some title of the given lengths (the bound with all letters equal)."""
    t = TITLE_THRESHOLD / 100
    low = np.floor(lengths.min() * t / (2 - t)) - 1
    high = np.ceil(lengths.max() * (2 - t) / t) + 1
    return slice(
        int(np.searchsorted(sorted_lengths, low, side="left")),
        int(np.searchsorted(sorted_lengths, high, side="right")),
    )


def _letter_counts(titles: list[str]) -> np.ndarray:
    """How often each of a–z, 0–9 and space occurs in each title (one row per title)."""
    if not titles:
        return np.zeros((0, len(_ALPHABET)))
    codes = np.frombuffer("".join(titles).encode("ascii"), dtype=np.uint8).astype(np.int64)
    rows = np.repeat(np.arange(len(titles)), [len(t) for t in titles])
    counts = np.bincount(rows * 128 + codes, minlength=len(titles) * 128)
    return counts.reshape(len(titles), 128)[:, _ALPHABET_CODES].astype(np.float64)


def _best_title(
    work: _Prepared, candidates: Iterable[int], works: list[_Prepared]
) -> tuple[int, float] | None:
    """The most similar title that is a duplicate (the earliest on ties), with its score."""
    best: tuple[float, int] | None = None
    for position in candidates:
        link = _link(work, works[position])
        if (
            link is not None
            and link[0] == "title"
            and (best is None or (-link[1], position) < best)
        ):
            best = (-link[1], position)
    return (best[1], -best[0]) if best else None


def _prepare(key: WorkKey) -> _Prepared:
    words = normalise_title(key.title).split()
    return _Prepared(
        doi=_clean_doi(key.doi),
        pmid=_clean_pmid(key.pmid),
        year=key.year,
        plain=" ".join(words),
        sorted=" ".join(sorted(words)),
        numbers=tuple(sorted(w for w in words if w.isdigit() or w in _ROMAN)),
        notices=tuple(sorted({w for w in words if w in NOTICE_WORDS})),
        family=key.first_author_family or "",
        comparable=len(words) >= MIN_TITLE_WORDS,
    )


def _clean_doi(value: str | None) -> str | None:
    # Importers hand over DOIs already normalised; only other texts go through the full rules.
    if value and _NORMAL_DOI.match(value):
        return value
    return _clean_id(normalise_doi, value)


def _clean_pmid(value: str | None) -> str | None:
    if value and value.isascii() and value.isdigit() and value[0] != "0" and len(value) <= 9:
        return value
    return _clean_id(normalise_pmid, value)


def _clean_id(normalise: Callable[[str], str], value: str | None) -> str | None:
    if not value:
        return None
    try:
        return normalise(value)
    except InvalidIdentifier:
        return None


def _link(a: _Prepared, b: _Prepared) -> tuple[Reason, float] | None:
    if a.doi and a.doi == b.doi:
        return "doi", 100.0
    if a.pmid and a.pmid == b.pmid:
        return "pmid", 100.0
    if not _titles_may_match(a, b):
        return None
    score = max(fuzz.ratio(a.plain, b.plain), fuzz.ratio(a.sorted, b.sorted))
    return ("title", score) if score >= TITLE_THRESHOLD else None


def _titles_may_match(a: _Prepared, b: _Prepared) -> bool:
    if not (a.comparable and b.comparable) or a.year is None or b.year is None:
        return False
    if abs(a.year - b.year) > YEAR_TOLERANCE:
        return False
    # Different identifiers of the same kind mean different works, however alike the titles.
    if (a.doi and b.doi and a.doi != b.doi) or (a.pmid and b.pmid and a.pmid != b.pmid):
        return False
    if a.numbers != b.numbers or a.notices != b.notices:
        return False
    return not (a.family and b.family) or families_agree(a.family, b.family)


def _longer(a: str, b: str) -> str:
    return b if len(b.strip()) > len(a.strip()) else a


def _richer_date(a: WorkRecord, b: WorkRecord) -> tuple[int | None, str | None]:
    if a.year is None or (b.date and len(b.date) > len(a.date or "")):
        return (b.year, b.date) if b.year is not None else (a.year, a.date)
    return a.year, a.date


def _richer_authors(
    a: tuple[AuthorRecord, ...], b: tuple[AuthorRecord, ...]
) -> tuple[AuthorRecord, ...]:
    base, other = (b, a) if len(b) > len(a) else (a, b)
    by_position = {author.position: author for author in other}
    return tuple(_with_orcid(author, by_position.get(author.position)) for author in base)


def _with_orcid(author: AuthorRecord, twin: AuthorRecord | None) -> AuthorRecord:
    if author.orcid or twin is None or not twin.orcid:
        return author
    if family_parts(author.family).keys & family_parts(twin.family).keys:
        return replace(author, orcid=twin.orcid)
    return author
