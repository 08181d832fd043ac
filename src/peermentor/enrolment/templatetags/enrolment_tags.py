"""Template filters of enrolment: weekly slots written out."""

from __future__ import annotations

from django import template

register = template.Library()
DAYS = {"Mon": "Mon", "Tue": "Tue", "Wed": "Wed", "Thu": "Thu", "Fri": "Fri", "Sat": "Sat",
        "Sun": "Sun"}  # fmt: skip


@register.filter
def slot_label(slot: str) -> str:
    """ "Tue07" as "Tue 07:00"."""
    return f"{slot[:3]} {slot[3:]}:00" if len(slot) == 5 else slot


@register.filter
def percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal, or a dash."""
    return "—" if value is None else f"{100 * value:.1f}%"
