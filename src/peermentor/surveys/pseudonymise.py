"""Pseudonyms for evaluation: respondent codes, masked names and contacts, safe group labels.

Pure module: no Django import. Evaluators read answers, not people: each wave gives its
respondents codes (``R01``, ``R02``, …), and names of members, e-mail addresses and phone
numbers inside free text are replaced before an evaluator sees it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

MEMBER = "[member]"
CONTACT = "[contact]"
SMALL_GROUP = "a group"
MINIMUM_GROUP_SIZE = 5

_PLACEHOLDER = re.compile(r"\[(?:member|contact)\]")
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits with single spaces, dots, dashes or brackets between them: phone numbers.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[ .\-()/]{0,2}\d){6,}\)?(?!\w)")
# Dates and year ranges have eight digits or fewer; a phone number without a "+" or "(" needs nine.
_MIN_PLAIN_PHONE_DIGITS = 9
# Particles of family names that are also everyday words; they are masked only inside a full name.
_PARTICLES = frozenset(
    {
        "al", "ben", "bin", "da", "dal", "de", "del", "della", "der", "di", "do", "dos",
        "du", "el", "la", "le", "los", "mac", "san", "st", "ter", "van", "von",
    }
)  # fmt: skip
_NAME_BREAK = re.compile(r"[\s\-]+")
_WORD_RUN = re.compile(r"\w+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "‐": "-", "‑": "-"})


def respondent_code(number: int, respondents: int) -> str:
    """The code of the ``number``-th of ``respondents`` people: R01 …, wider past 99 people."""
    width = max(2, len(str(respondents)))
    return f"R{number:0{width}d}"


def respondent_codes(keys: Iterable[str]) -> dict[str, str]:
    """Codes R01, R02, … for respondent keys in their first-seen order, wider past 99 people."""
    unique = list(dict.fromkeys(keys))
    return {key: respondent_code(number, len(unique)) for number, key in enumerate(unique, start=1)}


def group_label(group_name: str, member_count: int, minimum: int = MINIMUM_GROUP_SIZE) -> str:
    """The group's name when it has at least ``minimum`` members, else "a group"."""
    return group_name if member_count >= minimum else SMALL_GROUP


def name_variants(full_name: str, nicknames: Iterable[str] = ()) -> list[str]:
    """The full name, each part of it (both halves of a double name too) and any nicknames."""
    variants = [" ".join(full_name.split())]
    for word in full_name.replace("-", " ").split():
        part = word.strip(".,")
        if len(part) >= 2 and part.casefold() not in _PARTICLES:
            variants.append(part)
    words = full_name.split()
    variants.extend(word for word in words if "-" in word)
    for index, word in enumerate(words[1:], start=1):
        if word.casefold() in _PARTICLES:
            variants.append(" ".join(words[index:]))  # "van Dijk", "de la Cruz"
            break
    variants.extend(nickname.strip() for nickname in nicknames)
    return [variant for variant in dict.fromkeys(variants) if variant]


def _fold_char(char: str) -> str:
    """One character without accents, case folded; a lone combining mark folds to nothing."""
    plain = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    folded = plain.translate(_APOSTROPHES).casefold()
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


def _fold(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index it came from in ``text``."""
    pieces: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        origins.extend([index] * len(folded))
    return "".join(pieces), origins


def _folded_names(names: Iterable[str]) -> set[tuple[str, ...]]:
    """Each name folded and split into words; names with fewer than two letters are left out."""
    folded = set()
    for name in names:
        words = _NAME_BREAK.split(_fold(name)[0])
        cleaned = [word.strip(".',") for word in words]
        cleaned = [word for word in cleaned if word]
        if sum(char.isalpha() for word in cleaned for char in word) >= 2:
            folded.add(tuple(cleaned))
    return folded


@lru_cache(maxsize=256)
def _name_pattern(names: frozenset[tuple[str, ...]]) -> re.Pattern[str]:
    """One pattern for the names, longest first, whole words, spaces or hyphens between words."""
    ordered = sorted(names, key=lambda words: (-len(" ".join(words)), words))
    choices = "|".join(r"[\s\-]+".join(map(re.escape, words)) for words in ordered)
    return re.compile(rf"(?<!\w)(?:{choices})(?!\w)")


def _spans(pattern: re.Pattern[str], folded: str) -> list[tuple[int, int]]:
    """Spans of names in folded text, never inside a placeholder already there."""
    spans: list[tuple[int, int]] = []
    kept = [match.span() for match in _PLACEHOLDER.finditer(folded)]
    position = 0
    for start, end in [*kept, (len(folded), len(folded))]:
        spans.extend(match.span() for match in pattern.finditer(folded, position, start))
        position = end
    return spans


class NameMasker:
    """Masks one list of names in many texts: made once, then each text costs about its length.

    A name can only match where every run of letters and digits in it is also a whole run in
    the text, so each text is matched against the few names that pass that test, not all.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._by_first_run: dict[str, list[tuple[frozenset[str], tuple[str, ...]]]] = {}
        for words in _folded_names(names):
            runs = _WORD_RUN.findall(" ".join(words))
            self._by_first_run.setdefault(runs[0], []).append((frozenset(runs), words))

    def _candidates(self, folded: str) -> frozenset[tuple[str, ...]]:
        runs = set(_WORD_RUN.findall(folded))
        return frozenset(
            words
            for run in runs
            for needed, words in self._by_first_run.get(run, ())
            if needed <= runs
        )

    def mask_names(self, text: str) -> str:
        """The text with each name replaced by "[member]": accent- and case-blind, whole words."""
        if not text or not self._by_first_run:
            return text
        folded, origins = _fold(text)
        candidates = self._candidates(folded)
        if not candidates:
            return text
        pieces: list[str] = []
        position = 0
        for start, end in _spans(_name_pattern(candidates), folded):
            first = origins[start]
            last = origins[end - 1] + 1
            while last < len(text) and not _fold_char(text[last]):
                last += 1  # a trailing combining accent belongs to the masked letter
            pieces.extend([text[position:first], MEMBER])
            position = last
        pieces.append(text[position:])
        return "".join(pieces)

    def mask(self, text: str) -> str:
        """The text with contacts, then names, masked; masking twice changes nothing more."""
        return self.mask_names(mask_contacts(text))


def mask_names(text: str, names: Iterable[str]) -> str:
    """The text with each name replaced by "[member]": accent- and case-blind, whole words only."""
    return NameMasker(names).mask_names(text)


def _phone(match: re.Match[str]) -> str:
    found = match.group(0)
    digits = sum(char.isdigit() for char in found)
    marked = found.startswith(("+", "("))
    if digits >= _MIN_PLAIN_PHONE_DIGITS or (marked and digits >= 7):
        return CONTACT
    return found


def mask_contacts(text: str) -> str:
    """The text with e-mail addresses and phone numbers replaced by "[contact]"."""
    return _PHONE.sub(_phone, _EMAIL.sub(CONTACT, text))


def mask_text(text: str, names: Iterable[str]) -> str:
    """The text with contacts, then member names, masked; masking twice changes nothing more."""
    return NameMasker(names).mask(text)
