"""Slow figures: computed once, served fresh, then served stale while one request refreshes."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from peermentor.core import figures_cache
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
    assert cache.get("t:fail:figures")[1] == {"version": 1}
    assert cached_figures("t:fail", compute, fresh_seconds=60) == {"version": 2}


def test_a_process_serves_its_own_copy_while_the_shared_version_is_the_same() -> None:
    compute = Counter()
    cached_figures("t:held", compute, fresh_seconds=60)
    cache.delete("t:held:figures")  # were the shared set read again, it would have to recompute
    assert cached_figures("t:held", compute, fresh_seconds=60) == {"version": 1}
    assert compute.calls == 1


def test_a_copy_is_not_served_once_another_server_made_new_figures() -> None:
    compute = Counter()
    cached_figures("t:new", compute, fresh_seconds=60)
    cache.set("t:new:figures", ("made-elsewhere", {"version": 99}), 60)
    cache.set("t:new", "made-elsewhere", 60)
    assert cached_figures("t:new", compute, fresh_seconds=60) == {"version": 99}
    assert compute.calls == 1


def test_a_copy_is_not_served_once_the_shared_cache_was_emptied() -> None:
    compute = Counter()
    cached_figures("t:emptied", compute, fresh_seconds=60)
    cache.clear()
    assert cached_figures("t:emptied", compute, fresh_seconds=60) == {"version": 2}


def test_a_process_holds_a_bounded_number_of_copies() -> None:
    computations = {f"t:many:{n}": Counter() for n in range(figures_cache.COPIES_HELD + 1)}
    for key, compute in computations.items():
        cached_figures(key, compute, fresh_seconds=60)
    first = "t:many:0"
    cache.delete(f"{first}:figures")  # its copy was the least recently read: it is gone too
    assert cached_figures(first, computations[first], fresh_seconds=60) == {"version": 2}
    last = f"t:many:{figures_cache.COPIES_HELD}"
    cache.delete(f"{last}:figures")
    assert cached_figures(last, computations[last], fresh_seconds=60) == {"version": 1}
