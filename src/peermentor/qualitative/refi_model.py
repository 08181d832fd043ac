"""Plain data that PeerMentor exchanges with other QDA software through REFI-QDA files.

Text positions are Unicode code points, zero-based, end exclusive, everywhere in PeerMentor.
REFI-QDA 1.5 (section 10.2) counts ``startPosition`` and ``endPosition`` of a
``PlainTextSelection`` in Unicode code points from 0 as well; its prose ("the first and the last
character") is ambiguous about the end, but the exports of NVivo, ATLAS.ti, QualCoder and qc
(checked on the sample exports: ``text[start:end]`` is exactly the coded line) treat it as
exclusive. So positions cross the file boundary unchanged, and a Python ``str`` slice
``text[start:end]`` is the coded passage.

GUIDs are kept in lower case without braces (``read_*`` normalises them). Times are aware
datetimes; a REFI file that gives a time without a zone is read as UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, TypeAlias

VariableType: TypeAlias = Literal["Text", "Boolean", "Integer", "Float", "Date", "DateTime"]
VariableValue: TypeAlias = str | bool | int | float | date | datetime

VARIABLE_TYPES: tuple[VariableType, ...] = (
    "Text",
    "Boolean",
    "Integer",
    "Float",
    "Date",
    "DateTime",
)


COLOR_RE = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_GUID_RE = re.compile(
    r"\{([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\}|([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})"
)


class RefiError(ValueError):
    """Raised when a REFI-QDA file cannot be read or a project cannot be written as one."""


def normalise_guid(value: str | None) -> str | None:
    """The GUID in lower case without braces, or None if the value is not a GUID."""
    if value is None:
        return None
    match = _GUID_RE.fullmatch(value.strip().lower())
    return (match.group(1) or match.group(2)) if match else None


@dataclass
class Code:
    """A code of the codebook; folders that only group other codes have ``is_codable=False``."""

    guid: str
    name: str
    color: str | None = None
    description: str = ""
    children: list[Code] = field(default_factory=list)
    is_codable: bool = True


@dataclass
class Codebook:
    """The codes of a project, as a forest of top-level codes."""

    codes: list[Code] = field(default_factory=list)

    def walk(self) -> Iterator[Code]:
        """Every code, parents before their children, in document order."""
        stack = list(reversed(self.codes))
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(code.children))


@dataclass
class User:
    """A person who coded or wrote notes (an evaluator, under a pseudonym if need be)."""

    guid: str
    name: str = ""


@dataclass
class TextSource:
    """A plain-text source: in PeerMentor, one open-ended survey answer."""

    guid: str
    name: str
    text: str
    description: str = ""
    user_guid: str | None = None
    created: datetime | None = None


@dataclass
class Coding:
    """A code applied to ``text[start:end]`` of a source (code points, end exclusive)."""

    guid: str
    source_guid: str
    start: int
    end: int
    code_guid: str
    user_guid: str | None = None
    created: datetime | None = None


@dataclass
class Note:
    """A memo, attached to codes, sources or codings by their GUIDs (none: a project memo).

    The order of ``targets`` carries no meaning.
    """

    guid: str
    name: str
    text: str
    targets: list[str] = field(default_factory=list)
    user_guid: str | None = None
    created: datetime | None = None


@dataclass
class Variable:
    """A typed attribute that cases (respondents) may carry, such as rank or department."""

    guid: str
    name: str
    type: VariableType = "Text"
    description: str = ""


@dataclass
class Case:
    """A respondent: the sources (answers) they gave and their variables, keyed by name.

    Every key of ``variables`` is the ``name`` of a ``Variable`` of the project, and its value
    has the Python type of that variable's type (``str``, ``bool``, ``int``, ``float``, ``date``
    or aware ``datetime``).
    """

    guid: str
    name: str
    source_guids: list[str] = field(default_factory=list)
    variables: dict[str, VariableValue] = field(default_factory=dict)


@dataclass
class Project:
    """A whole exchange: codebook, answers, codings, memos and respondents.

    ``origin`` is the software that wrote the file read (``None`` for a project built here) and
    ``warnings`` says what a read skipped or repaired, one sentence each.
    """

    name: str
    users: list[User] = field(default_factory=list)
    codebook: Codebook = field(default_factory=Codebook)
    sources: list[TextSource] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origin: str | None = None
