"""Authors of imported works matched to members: by ORCID iD, which counts at once, then by
name, which only suggests a claim.

Pure module: no Django import. Members are indexed by every key of their family names (the
whole name and each part of a compound or particle name), so an author slot costs a few
dictionary look-ups, not a pass over every member. Near-miss family names (typos, lost
accents already folded away) are found with rapidfuzz, but only among member family names
that start with the same letter, and each distinct author family name is looked up once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process
from unidecode import unidecode

from peermentor.core.orcid import InvalidOrcid, check_digit, normalise_orcid
from peermentor.scholarship.records import AuthorRecord, WorkRecord, split_name

MatchKind = Literal["orcid", "name"]

# Family names at or above this rapidfuzz ratio are near misses ("Kowalski"/"Kowalsky" is 87.5,
# "Johnson"/"Jonson" 92); below it one changed letter in a short name ("Smith"/"Smyth", 80)
# is more often a different person than a typo.
FAMILY_NEAR_THRESHOLD = 85.0
# Near-miss family names are only sought for names of at least this many letters.
FAMILY_NEAR_MIN_LENGTH = 5
# First names at or above this ratio are variants ("Jon"/"John" 86, "Catherine"/"Katherine" 89).
GIVEN_NEAR_THRESHOLD = 80.0
# Name matches below this confidence are not suggested at all (a family name alone is 0.45).
MIN_NAME_CONFIDENCE = 0.5

# Particles are left out of the core of a family name ("van der Berg" is filed under "berg").
PARTICLES = frozenset(
    "al bin da das de degli del della dei den der des di dos du el ibn la le ten ter van "  # noqa: SIM905
    "vande vanden vander von zu".split()
)
_ORGANISATION_WORDS = frozenset(
    "group consortium collaboration collaborative committee society network investigators "  # noqa: SIM905
    "team association council study trial working alliance initiative".split()
)
# Apostrophes join ("O'Brien" → "obrien"); any other character but a–z and 0–9 separates.
_FOLD = str.maketrans(
    {chr(c): None if chr(c) in "'`" else " " for c in range(128) if not chr(c).isalnum()}
)
_INITIALS_TOKEN = re.compile(r"^[A-Z]{1,3}$")
_CANONICAL_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


@dataclass(frozen=True)
class MemberKey:
    """A member as the matcher sees them: ORCID iD if known, name, and other names used."""

    id: Hashable
    orcid: str | None
    family: str
    given: str
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthorMatch:
    """One author slot of one work matched to one member, with how sure and why."""

    work_index: int
    author_position: int
    member_id: Hashable
    kind: MatchKind
    confidence: float
    reason: str


@dataclass(frozen=True)
class _Alias:
    member: int
    family: str
    given: tuple[tuple[str, bool], ...]
    display: str
    other_name: bool


@dataclass(frozen=True)
class FamilyName:
    """A family name folded for comparison: whole, without particles, its parts, its keys."""

    full: str
    core: str
    parts: frozenset[str]
    keys: frozenset[str]


def fold(text: str) -> str:
    """Lower-case ASCII words: accents transliterated, apostrophes dropped, hyphens and other
    punctuation made spaces (``O’Brien`` → ``obrien``, ``García-Márquez`` → ``garcia marquez``)."""
    text = text or ""
    return " ".join((text if text.isascii() else unidecode(text)).lower().translate(_FOLD).split())


def family_parts(family: str) -> FamilyName:
    """The comparison forms of a family name: its core without particles, its parts, and every
    key it is indexed under (whole name with and without particles, and each part)."""
    words = fold(family).split()
    core_words = [w for w in words if w not in PARTICLES] or words
    parts = frozenset(w for w in core_words if len(w) > 1)
    full, core = "".join(words), "".join(core_words)
    keys = {full, core, *parts} - {""}
    return FamilyName(full=full, core=core, parts=parts, keys=frozenset(keys))


def families_agree(a: str, b: str) -> bool:
    """Whether two family names could be the same person's: equal once folded, sharing a part
    of a compound name, or a near miss."""
    return _family_level(family_parts(a), family_parts(b)) is not None


def match_authors(
    works: Sequence[WorkRecord],
    members: Sequence[MemberKey],
    *,
    min_confidence: float = MIN_NAME_CONFIDENCE,
) -> list[AuthorMatch]:
    """Every author slot matched to members: ORCID matches (confidence 1) and name matches
    for the claim queue, at most one per member and work, in work and byline order."""
    matcher = _Matcher(members, min_confidence)
    matcher.look_up_families(
        _author_name(a.family, a.given, a.name)[0] for work in works for a in work.authors
    )
    found: list[AuthorMatch] = []
    for index, work in enumerate(works):
        found.extend(matcher.match_work(index, work))
    return found


class _Matcher:
    """The member indexes and the per-name caches of one matching run."""

    def __init__(self, members: Sequence[MemberKey], min_confidence: float) -> None:
        self.members = list(members)
        self.min_confidence = min_confidence
        self.orcids = [_orcid_or_none(m.orcid) for m in self.members]
        self.by_orcid: dict[str, int] = {}
        for position, orcid in enumerate(self.orcids):
            if orcid is not None:
                self.by_orcid.setdefault(orcid, position)
        self.aliases = [alias for i, m in enumerate(self.members) for alias in _aliases(i, m)]
        self.families = [family_parts(alias.family) for alias in self.aliases]
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for alias_index, family in enumerate(self.families):
            for key in family.keys:
                self.by_key[key].append(alias_index)
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for key in self.by_key:
            self.by_initial[key[0]].append(key)
        self.family_cache: dict[str, list[tuple[int, str]]] = {"": []}
        self.given_cache: dict[str, tuple[tuple[str, bool], ...]] = {}
        self.name_cache: dict[tuple[str, str], list[tuple[int, float, str]]] = {}

    def match_work(self, index: int, work: WorkRecord) -> list[AuthorMatch]:
        """The matches of one work's authors, best per member."""
        best: dict[int, AuthorMatch] = {}
        for author in work.authors:
            for member, kind, confidence, reason in self._match_author(author):
                match = AuthorMatch(
                    index, author.position, self.members[member].id, kind, confidence, reason
                )
                if _better(match, best.get(member)):
                    best[member] = match
        order = sorted(best, key=lambda m: (best[m].author_position, -best[m].confidence, m))
        return [best[member] for member in order]

    def _match_author(self, author: AuthorRecord) -> list[tuple[int, MatchKind, float, str]]:
        orcid = self._orcid(author.orcid)
        member = self.by_orcid.get(orcid) if orcid else None
        if member is not None:
            return [(member, "orcid", 1.0, f"ORCID iD {orcid} is the member's")]
        family, given = author.family, author.given
        if not family:
            family, given = _author_name(family, given, author.name)
        if not self.family_cache.get(family, True):
            return []  # the common case: nobody in the group has this family name
        return [
            (m, "name", confidence, reason)
            for m, confidence, reason in self._by_name(family, given, orcid)
        ]

    def look_up_families(self, families: Iterable[str]) -> None:
        """Find the members each distinct family name may be, near misses in one batch per
        initial letter."""
        pending: dict[str, list[tuple[str, FamilyName]]] = defaultdict(list)
        for family in set(families) - self.family_cache.keys():
            parts = family_parts(family)
            aliases = {i for key in parts.keys for i in self.by_key.get(key, ())}
            if aliases or len(parts.core) < FAMILY_NEAR_MIN_LENGTH:
                self.family_cache[family] = self._levels(parts, aliases)
            else:
                pending[parts.core[0]].append((family, parts))
        for initial, items in pending.items():
            self._look_up_near(self.by_initial.get(initial, []), items)

    def _look_up_near(self, keys: list[str], items: list[tuple[str, FamilyName]]) -> None:
        scores = (
            process.cdist(
                [parts.core for _family, parts in items],
                keys,
                scorer=fuzz.ratio,
                score_cutoff=FAMILY_NEAR_THRESHOLD,
                dtype=np.uint8,
            )
            if keys
            else np.zeros((len(items), 0), dtype=np.uint8)
        )
        for row, (family, parts) in enumerate(items):
            aliases = {i for k in np.flatnonzero(scores[row]) for i in self.by_key[keys[k]]}
            self.family_cache[family] = self._levels(parts, aliases)

    def _levels(self, author: FamilyName, aliases: set[int]) -> list[tuple[int, str]]:
        found = []
        for alias_index in sorted(aliases):
            level = _family_level(author, self.families[alias_index])
            if level is not None:
                found.append((alias_index, level))
        return found

    def _orcid(self, text: str | None) -> str | None:
        # Importers give canonical iDs already: checking the digit is enough for those.
        if text and _CANONICAL_ORCID.match(text):
            return text if check_digit(text.replace("-", "")[:15]) == text[-1] else None
        return _orcid_or_none(text)

    def _by_name(self, family: str, given: str, orcid: str | None) -> list[tuple[int, float, str]]:
        if family not in self.family_cache:
            self.look_up_families([family])
        if not self.family_cache[family]:
            return []
        key = (family, given)
        if key not in self.name_cache:
            self.name_cache[key] = self._score_name(family, given)
        found = self.name_cache[key]
        if orcid is None:
            return found
        # An author whose ORCID iD differs from the member's is someone else, whatever the name.
        return [f for f in found if self.orcids[f[0]] in (None, orcid)]

    def _score_name(self, family: str, given: str) -> list[tuple[int, float, str]]:
        if given not in self.given_cache:
            self.given_cache[given] = given_tokens(given)
        tokens = self.given_cache[given]
        best: dict[int, tuple[int, float, str]] = {}
        for alias_index, family_level in self.family_cache[family]:
            alias = self.aliases[alias_index]
            scored = _score(alias, family_level, tokens)
            if scored is None or scored[0] < self.min_confidence:
                continue
            if alias.member not in best or scored[0] > best[alias.member][1]:
                best[alias.member] = (alias.member, *scored)
        return list(best.values())


def given_tokens(given: str) -> tuple[tuple[str, bool], ...]:
    """The given names as (folded token, is an initial) pairs: ``John A.`` → john, a(initial);
    ``JA`` (PubMed initials) → j, a; ``Jean-Pierre`` → jean, pierre."""
    tokens: list[tuple[str, bool]] = []
    for word in re.split(r"[\s\-]+", (given or "").replace(".", " ")):
        if not word:
            continue
        if _INITIALS_TOKEN.match(word):
            tokens.extend((letter.lower(), True) for letter in word)
            continue
        folded = fold(word).replace(" ", "")
        if folded:
            tokens.append((folded, len(folded) == 1))
    return tuple(tokens)


def _score(
    alias: _Alias, family_level: str, author: tuple[tuple[str, bool], ...]
) -> tuple[float, str] | None:
    agreement = _given_agreement(author, alias.given)
    if agreement is None:
        return None
    confidence, given_reason = agreement
    confidence -= {"exact": 0.0, "part": 0.1, "near": 0.15}[family_level]
    reasons = [_FAMILY_REASONS[family_level], given_reason]
    if alias.other_name:
        reasons.append(f"via the member's other name “{alias.display}”")
    return round(max(0.0, min(confidence, 0.99)), 2), "; ".join(reasons)


_FAMILY_REASONS = {
    "exact": "family name matches",
    "part": "family name matches part of a compound family name",
    "near": "family name is a near miss",
}


def _given_agreement(
    author: tuple[tuple[str, bool], ...], member: tuple[tuple[str, bool], ...]
) -> tuple[float, str] | None:
    if not author:
        return 0.45, "no given name on the work"
    if not member:
        return 0.45, "no given name on record"
    first = _first_name_agreement(author[0], member[0])
    if first is None:
        if len(member) > 1 and _first_name_agreement(author[0], member[1]) is not None:
            return 0.55, "given name matches the member's middle name"
        return None
    confidence, reason = first
    adjustment, middle_reason = _middle_agreement(author[1:], member[1:])
    return confidence + adjustment, reason + middle_reason


def _first_name_agreement(
    author: tuple[str, bool], member: tuple[str, bool]
) -> tuple[float, str] | None:
    (a, a_initial), (m, m_initial) = author, member
    if a[0] != m[0]:
        return None
    if a_initial or m_initial:
        return 0.7, "first initial matches"
    if a == m:
        return 0.9, "first name matches"
    if fuzz.ratio(a, m) >= GIVEN_NEAR_THRESHOLD:
        return 0.75, "first name is a near miss"
    return None


def _middle_agreement(
    author: tuple[tuple[str, bool], ...], member: tuple[tuple[str, bool], ...]
) -> tuple[float, str]:
    if not author:
        return 0.0, ""
    if not member:
        return -0.05, ", with a middle initial not on record"
    pairs = list(zip(author, member, strict=False))
    if all(a[0][0] == m[0][0] for a, m in pairs):
        return 0.05, ", middle initial matches"
    return -0.3, ", but the middle initial differs"


def _family_level(author: FamilyName, member: FamilyName) -> str | None:
    if not author.core or not member.core:
        return None
    if author.core == member.core or author.full == member.full:
        return "exact"
    if author.keys & member.keys:
        return "part"
    if min(len(author.core), len(member.core)) < FAMILY_NEAR_MIN_LENGTH:
        return None
    return "near" if fuzz.ratio(author.core, member.core) >= FAMILY_NEAR_THRESHOLD else None


def _aliases(index: int, member: MemberKey) -> Iterable[_Alias]:
    display = f"{member.given} {member.family}".strip()
    yield _Alias(index, member.family, given_tokens(member.given), display, other_name=False)
    for other in member.other_names:
        family, given = split_name(other)
        if family:
            yield _Alias(index, family, given_tokens(given), other, other_name=True)


def _author_name(family: str, given: str, name: str) -> tuple[str, str]:
    if family:
        return family, given
    if not name or " " not in name.strip():
        return "", ""
    if set(fold(name).split()) & _ORGANISATION_WORDS:
        return "", ""
    return split_name(name)


def _orcid_or_none(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return normalise_orcid(text)
    except InvalidOrcid:
        return None


def _better(match: AuthorMatch, current: AuthorMatch | None) -> bool:
    if current is None:
        return True
    if match.kind != current.kind:
        return match.kind == "orcid"
    return match.confidence > current.confidence
