"""Slow aggregate figures kept in the shared cache and refreshed without making people wait.

A set of figures is fresh for ``fresh_seconds``. After that, the first request to notice
recomputes it while every other request gets the previous set at once: one recomputation at a
time across all servers, by a lock in the shared cache. Only a first computation ever (or one
after the cache was emptied) makes a request wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

KEEP_SECONDS = 7 * 24 * 60 * 60  # how long the previous figures stay on hand
LOCK_SECONDS = 600  # a recomputation that died frees the lock after this


def cached_figures(key: str, compute: Callable[[], T], *, fresh_seconds: int) -> T:
    """The figures under ``key``: fresh ones, the previous ones while another request
    recomputes them, or ``compute()`` run now."""
    figures = cache.get(key)
    if figures is not None:
        return figures  # type: ignore[no-any-return]
    previous = cache.get(f"{key}:previous")
    if previous is not None and not cache.add(f"{key}:lock", 1, LOCK_SECONDS):
        return previous  # type: ignore[no-any-return]
    try:
        figures = compute()
        cache.set(key, figures, fresh_seconds)
        cache.set(f"{key}:previous", figures, KEEP_SECONDS)
    finally:
        cache.delete(f"{key}:lock")
    return figures
