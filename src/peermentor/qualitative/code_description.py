"""A code's definition, usage rules, example and polarity as one readable description, and back.

Pure module: no Django import. REFI-QDA gives a code a single ``Description``; PeerMentor's codes
have a definition, when to use, when not to use, an example and a polarity. They travel in the
description as labelled paragraphs that NVivo, ATLAS.ti, MAXQDA and QualCoder show as they are
and that ``read_description`` takes apart again::

    Feeling answerable to the group for progress between meetings.

    When to use: the answer says that …
    When not to use: …
    Example: “Knowing I would report back …”
    Polarity: Benefit

The definition is whatever comes before the first label; a label starts a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

POLARITY_LABELS = {
    "benefit": "Benefit",
    "undesirable": "Undesirable or unintended",
    "neutral": "Neutral",
}
_FIELDS = (
    ("when_to_use", "When to use"),
    ("when_not_to_use", "When not to use"),
    ("example", "Example"),
    ("polarity", "Polarity"),
)
_LABEL = re.compile(
    r"^(When to use|When not to use|Example|Polarity):[ \t]*", re.IGNORECASE | re.MULTILINE
)


@dataclass(frozen=True)
class CodeDescription:
    """The parts of a code's description."""

    definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    example: str = ""
    polarity: str = "neutral"


def write_description(parts: CodeDescription) -> str:
    """One description: the definition, then each non-empty labelled part (a neutral code
    states no polarity)."""
    paragraphs = [parts.definition.strip()] if parts.definition.strip() else []
    labelled = []
    for field, label in _FIELDS:
        value = getattr(parts, field).strip()
        if field == "polarity":
            value = "" if value == "neutral" else POLARITY_LABELS.get(value, value)
        if value:
            labelled.append(f"{label}: {value}")
    if labelled:
        paragraphs.append("\n".join(labelled))
    return "\n\n".join(paragraphs)


def _polarity(value: str) -> str:
    wanted = value.strip().casefold()
    for key, label in POLARITY_LABELS.items():
        if wanted in (key, label.casefold()):
            return key
    return "neutral"


def read_description(text: str) -> CodeDescription:
    """The parts of a description written by ``write_description`` or by a person; text with no
    labels is all definition, and an unknown polarity is neutral."""
    matches = list(_LABEL.finditer(text))
    definition = text[: matches[0].start()] if matches else text
    values: dict[str, str] = {}
    by_label = {label.casefold(): field for field, label in _FIELDS}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        field = by_label[match.group(1).casefold()]
        values[field] = text[match.end() : end].strip()
    return CodeDescription(
        definition=definition.strip(),
        when_to_use=values.get("when_to_use", ""),
        when_not_to_use=values.get("when_not_to_use", ""),
        example=values.get("example", ""),
        polarity=_polarity(values.get("polarity", "")),
    )
