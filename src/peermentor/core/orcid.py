"""ORCID iD parsing: bare, http and https forms, with the ISO 7064 MOD 11-2 check digit."""

from __future__ import annotations

import re

_ORCID_SHAPE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/", "https://www.orcid.org/")


class InvalidOrcid(ValueError):
    """Raised when a text is not a well-formed ORCID iD with a valid check digit."""


def check_digit(base_digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(text: str) -> str:
    """The canonical ``0000-0000-0000-0000`` form of an ORCID iD, or InvalidOrcid saying why."""
    value = text.strip()
    lowered = value.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix) :]
            break
    match = _ORCID_SHAPE.match(value.upper())
    if not match:
        raise InvalidOrcid(
            f"“{text.strip()}” is not an ORCID iD: expected 16 characters such as "
            "0000-0002-1825-0097 (the last may be X)."
        )
    digits = "".join(match.groups())
    expected = check_digit(digits[:15])
    if digits[15] != expected:
        raise InvalidOrcid(
            f"“{text.strip()}” has a wrong check digit: the last character should be {expected}."
        )
    return "-".join(match.groups())
