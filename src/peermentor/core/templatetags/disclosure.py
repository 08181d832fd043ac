"""``{{ reason|hidden_because }}``: why a cell of figures is not shown, in words."""

from __future__ import annotations

from django import template

from peermentor.core.disclosure import SMALL_CELL

register = template.Library()

_WHY = {
    "small": f"Fewer than {SMALL_CELL} people: not shown",
    # A lone hidden cell could be worked out from the total: a second one is hidden with it.
    "complementary": "Not shown, so that a smaller hidden figure cannot be worked out",
}


@register.filter
def hidden_because(reason: str | None) -> str:
    """The sentence a table shows in place of a hidden cell ("small" or "complementary")."""
    return _WHY.get(reason or "small", _WHY["small"])
