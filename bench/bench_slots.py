"""Time candidate-slot ranking for a 12-member group over a 16-week term against a naive reference.

Run as ``python bench/bench_slots.py [--runs N] [--reference-runs N] [--seed N]``. Prints the
median time of the bitset ranking and of a straightforward interval-by-interval reference, and
exits non-zero when the two disagree on the ranking.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

# Import the package from this checkout's src/ whether or not it is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peermentor.meetings.slots import (
    Interval,
    WeeklyPattern,
    expand_weekly,
    rank_candidate_slots,
)

UTC = dt.UTC
ZONE = "America/New_York"  # the term crosses the change to summer time on 9 March 2025
TERM_START = dt.date(2025, 1, 6)
TERM_END = TERM_START + dt.timedelta(weeks=16)
DAY_START, DAY_END = dt.time(7), dt.time(19)
DURATION = 60
TICK = 15
MEMBERS = 12
TIMES = "\N{MULTIPLICATION SIGN}"


def group_busy_times(seed: int) -> dict[str, list[Interval]]:
    """Twelve members with clinics, teaching and a standing meeting, plus one-off blocks."""
    rng = random.Random(seed)
    return {f"member-{n:02d}": member_busy_times(rng) for n in range(MEMBERS)}


def member_busy_times(rng: random.Random) -> list[Interval]:
    patterns = [clinic(rng) for _ in range(rng.randint(2, 4))]
    patterns += [teaching(rng) for _ in range(rng.randint(1, 3))]
    patterns.append(WeeklyPattern(rng.randrange(5), dt.time(7, 30), dt.time(8, 30)))
    busy = [i for p in patterns for i in expand_weekly(p, TERM_START, TERM_END, ZONE)]
    return busy + [one_off(rng) for _ in range(rng.randint(10, 25))]


def clinic(rng: random.Random) -> WeeklyPattern:
    start, end = rng.choice([(dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))])
    return WeeklyPattern(rng.randrange(5), start, end)


def teaching(rng: random.Random) -> WeeklyPattern:
    start = rng.randint(8, 16) * 60 + rng.choice([0, 30])
    end = start + rng.choice([60, 90, 120])
    return WeeklyPattern(rng.randrange(5), wall(start), wall(end))


def wall(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def one_off(rng: random.Random) -> Interval:
    day = TERM_START + dt.timedelta(days=rng.randrange((TERM_END - TERM_START).days))
    local = dt.datetime.combine(day, dt.time(rng.randint(6, 19), rng.randrange(60)), ZoneInfo(ZONE))
    start = local.astimezone(UTC)
    return Interval(start, start + dt.timedelta(minutes=rng.randint(20, 240)))


def fast_ranking(
    busy: Mapping[str, Sequence[Interval]], required: Collection[str]
) -> list[tuple[dt.datetime, int]]:
    ranking = rank_candidate_slots(
        TERM_START,
        TERM_END,
        ZONE,
        busy,
        duration_minutes=DURATION,
        day_start=DAY_START,
        day_end=DAY_END,
        required=required,
        tick_minutes=TICK,
    )
    return [(candidate.start, candidate.free) for candidate in ranking]


def reference_ranking(
    busy: Mapping[Hashable, Sequence[Interval]], required: Collection[Hashable]
) -> list[tuple[dt.datetime, int]]:
    """For each candidate, for each member, for each busy interval: does it overlap?"""
    zone = ZoneInfo(ZONE)
    blocked = dt.timedelta(minutes=math.ceil(DURATION / TICK) * TICK)
    results = []
    for start in reference_starts(zone):
        end = start + blocked
        free = []
        for member, intervals in busy.items():
            overlaps = False
            for busy_start, busy_end in intervals:
                if busy_start < end and start < busy_end:
                    overlaps = True
                    break
            if not overlaps:
                free.append(member)
        if all(member in free for member in required):
            results.append((start, len(free)))
    results.sort(key=lambda pair: (-pair[1], pair[0]))
    return results


def reference_starts(zone: ZoneInfo) -> list[dt.datetime]:
    """Every weekday start from DAY_START, TICK apart, that leaves the meeting inside the day."""
    starts = []
    day = TERM_START
    while day < TERM_END:
        minute = DAY_START.hour * 60 + DAY_START.minute
        while day.weekday() < 5 and minute + DURATION <= DAY_END.hour * 60 + DAY_END.minute:
            local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), zone)
            start = local.astimezone(UTC)
            if start.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
                starts.append(start)
            minute += TICK
        day += dt.timedelta(days=1)
    return starts


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm caches (zoneinfo, imports) before timing
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings) * 1000


def first_difference(
    fast: list[tuple[dt.datetime, int]], reference: list[tuple[dt.datetime, int]]
) -> str:
    for place, (mine, theirs) in enumerate(zip(fast, reference, strict=False), start=1):
        if mine != theirs:
            return f"place {place}: fast {mine}, reference {theirs}"
    return f"lengths differ: fast {len(fast)}, reference {len(reference)}"


def main() -> int:
    """Run the benchmark, print the figures, and return 1 if the rankings disagree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--reference-runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()
    busy = group_busy_times(options.seed)
    required = {"member-00"}
    intervals = sum(len(member) for member in busy.values())
    fast = fast_ranking(busy, required)
    reference = reference_ranking(busy, required)
    if fast != reference:
        difference = first_difference(fast, reference)
        print(f"MISMATCH between the bitset ranking and the reference: {difference}")
        return 1

    def rank_only() -> object:
        return rank_candidate_slots(
            TERM_START,
            TERM_END,
            ZONE,
            busy,
            duration_minutes=DURATION,
            day_start=DAY_START,
            day_end=DAY_END,
            required=required,
            tick_minutes=TICK,
        )

    fast_ms = median_ms(rank_only, options.runs)
    built_ms = median_ms(lambda: list(rank_only()), max(5, options.runs // 5))
    reference_ms = median_ms(lambda: reference_ranking(busy, required), options.reference_runs)
    print(
        f"rank {MEMBERS} members {TIMES} 16 weeks: median {fast_ms:.1f} ms "
        f"(reference {reference_ms:.0f} ms, {reference_ms / fast_ms:.0f}{TIMES} faster)"
    )
    print(
        f"  {len(fast):,} candidate starts ({DURATION}-minute meeting, {TICK}-minute ticks, "
        f"{DAY_START:%H:%M}-{DAY_END:%H:%M} {ZONE} on weekdays, 1 required member); "
        f"{intervals:,} busy intervals"
    )
    print(
        f"  median of {options.runs} runs (reference: {options.reference_runs}); building all "
        f"{len(fast):,} Candidate objects as well: {built_ms:.1f} ms; "
        f"{os.cpu_count()} CPUs; rankings identical"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
