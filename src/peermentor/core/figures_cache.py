"""Slow aggregate figures kept in the shared cache and refreshed without making people wait.

A set of figures is fresh for ``fresh_seconds``. After that, the first request to notice
recomputes it while every other request gets the previous set at once: one recomputation at a
time across all servers, by a lock in the shared cache. Only a first computation ever (or one
after the cache was emptied) makes a request wait for it.

The shared cache holds two entries per set: the figures with the version they were made as
(kept a week, so that there is always a previous set to serve), and, while they are fresh, that
version alone. Each process also holds the last figures it read, and serves them again as long
as the shared cache names the same version: a request then reads a few bytes from the shared
cache rather than the whole set (a dashboard's figures are tens of kilobytes). The copy is
never served once the shared cache names another version or none.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

T = TypeVar("T")

KEEP_SECONDS = 7 * 24 * 60 * 60  # how long the previous figures stay on hand
LOCK_SECONDS = 600  # a recomputation that died frees the lock after this
COPIES_HELD = 64  # sets of figures a process holds (the least recently read go first)

_copies: OrderedDict[str, tuple[str, Any]] = OrderedDict()
_copies_lock = threading.Lock()


def cached_figures(key: str, compute: Callable[[], T], *, fresh_seconds: int) -> T:
    """The figures under ``key``: fresh ones, the previous ones while another request
    recomputes them, or ``compute()`` run now."""
    fresh_version = cache.get(key)
    if fresh_version is not None:
        held = _held(key, fresh_version)
        if held is not None:
            return held  # type: ignore[no-any-return]
    kept = cache.get(f"{key}:figures")
    if kept is not None:
        version, figures = kept
        if fresh_version is not None:
            _hold(key, version, figures)
            return figures  # type: ignore[no-any-return]
        if not cache.add(f"{key}:lock", 1, LOCK_SECONDS):
            return figures  # type: ignore[no-any-return]  # another request is refreshing them
    try:
        figures = compute()
        version = uuid.uuid4().hex
        cache.set(f"{key}:figures", (version, figures), KEEP_SECONDS)
        cache.set(key, version, fresh_seconds)  # after the figures: a version names what is there
        _hold(key, version, figures)
    finally:
        cache.delete(f"{key}:lock")
    return figures


def _held(key: str, version: str) -> Any:
    with _copies_lock:
        copy = _copies.get(key)
        if copy is None or copy[0] != version:
            return None
        _copies.move_to_end(key)
        return copy[1]


def _hold(key: str, version: str, figures: Any) -> None:
    with _copies_lock:
        _copies[key] = (version, figures)
        _copies.move_to_end(key)
        while len(_copies) > COPIES_HELD:
            _copies.popitem(last=False)
