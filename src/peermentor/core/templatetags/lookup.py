"""The ``get_item`` template filter: a dictionary value by key."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """``mapping[key]``, or None when missing."""
    return (mapping or {}).get(key)
