"""Which cells of a table of figures may be shown without singling anybody out.

A cell describing fewer than ``SMALL_CELL`` people is hidden ("small"). Tables in PeerMentor
also show their total, and a lone hidden cell could then be worked out as the total less the
cells shown; so when a column has exactly one hidden cell, the smallest of the others is hidden
with it ("complementary"). Two hidden cells give away only their sum.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Literal, TypeVar

SMALL_CELL = 5

K = TypeVar("K", bound=Hashable)
Reason = Literal["small", "complementary"]


def hidden_cells(
    people: Mapping[K, int], *, minimum: int = SMALL_CELL, complementary: bool = True
) -> dict[K, Reason]:
    """The cells to hide, each with why, given how many people each cell describes (in the
    order the table shows them: of equally small cells, the first is hidden with a lone one)."""
    hidden: dict[K, Reason] = {key: "small" for key, count in people.items() if count < minimum}
    if complementary and len(hidden) == 1 and len(people) > 1:
        shown = [key for key in people if key not in hidden]
        hidden[min(shown, key=lambda key: people[key])] = "complementary"
    return hidden


def is_small(people: int) -> bool:
    """Whether a figure about this many people is hidden on its own account."""
    return people < SMALL_CELL
