"""Coded passages of a text cut into pieces for display, so overlapping passages stay visible.

Pure module: no Django import. The text is cut at every start and end of a passage; each piece
lists the passages that cover it, in the order given. Positions are Unicode code points, end
exclusive.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class Piece:
    """A run of text covered by the same passages (none for uncoded text)."""

    start: int
    end: int
    text: str
    keys: tuple[Hashable, ...] = field(default=())

    @property
    def depth(self) -> int:
        """How many passages cover this piece."""
        return len(self.keys)


def pieces(text: str, spans: Iterable[tuple[int, int, Hashable]]) -> list[Piece]:
    """The text as consecutive pieces; spans outside the text are clipped to it."""
    length = len(text)
    clipped = [(max(0, start), min(length, end), key) for start, end, key in spans if start < end]
    clipped = [(start, end, key) for start, end, key in clipped if start < end]
    cuts = sorted({0, length, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    result: list[Piece] = []
    for start, end in pairwise(cuts):
        keys = tuple(key for s, e, key in clipped if s <= start and end <= e)
        result.append(Piece(start, end, text[start:end], keys))
    return result
