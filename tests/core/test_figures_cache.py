"""Slow figures: computed once, served fresh, then served stale while one request refreshes."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from peermentor.core.figures_cache import cached_figures

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"version": self.calls}


def test_fresh_figures_are_computed_once() -> None:
    compute = Counter()
    assert cached_figures("t:fresh", compute, fresh_seconds=60) == {"version": 1}
    assert cached_figures("t:fresh", compute, fresh_seconds=60) == {"version": 1}
    assert compute.calls == 1


def test_stale_figures_are_served_while_another_request_refreshes_them() -> None:
    compute = Counter()
    cached_figures("t:stale", compute, fresh_seconds=60)
    cache.delete("t:stale")  # no longer fresh
    cache.add("t:stale:lock", 1, 60)  # another request is computing them
    assert cached_figures("t:stale", compute, fresh_seconds=60) == {"version": 1}
    assert compute.calls == 1
    cache.delete("t:stale:lock")  # that request died: the next one recomputes
    assert cached_figures("t:stale", compute, fresh_seconds=60) == {"version": 2}
    assert cache.get("t:stale:lock") is None


def test_a_failed_computation_frees_the_lock_and_keeps_the_previous_figures() -> None:
    compute = Counter()
    cached_figures("t:fail", compute, fresh_seconds=60)
    cache.delete("t:fail")

    def broken() -> dict[str, int]:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cached_figures("t:fail", broken, fresh_seconds=60)
    assert cache.get("t:fail:lock") is None
    assert cache.get("t:fail:previous") == {"version": 1}
