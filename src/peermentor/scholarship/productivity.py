"""Scholarly productivity of members: works per year, and before-joining against during-
membership rates with rate ratios, and a paired test across members.

Pure module: no Django import; "today" is always passed in, never read from the clock.

Conventions, stated once:

- A work counts at its publication date; a work known only to the year counts at 1 July, one
  known to the month on the 15th (:func:`work_date`), so a year-only work of the joining year
  falls on one side or the other rather than on both.
- The before window is the ``before_years`` years up to the day of joining, end excluded; the
  during window runs from the day of joining to the day of leaving or ``today``, whichever is
  earlier, end excluded. Person-years are days / 365.25.
- The rate ratio is the during rate over the before rate, with a 95 % interval from the normal
  approximation to the log rate ratio, SE = √(1/a + 1/b) for Poisson counts a and b. When one
  count is zero, 0.5 is added to both counts (a continuity correction, flagged ``corrected``)
  so that the ratio and its interval are finite; when both are zero there is no ratio.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from scipy import stats

# Member ids are database keys or texts; ids of one call must be comparable with each other.
MemberId: TypeAlias = int | str
DAYS_PER_YEAR = 365.25
Z_95 = 1.959963984540054
CONTINUITY = 0.5
MIN_PAIRED = 5


@dataclass(frozen=True)
class MemberWork:
    """One work of one member: its type and when it appeared (date if known, else year)."""

    member_id: MemberId
    type: str
    year: int | None
    date: dt.date | None = None


@dataclass(frozen=True)
class MembershipSpan:
    """When a member joined a group and, if they have, when they left."""

    member_id: MemberId
    joined_on: dt.date
    left_on: dt.date | None = None


@dataclass(frozen=True)
class RateComparison:
    """Works before joining and during membership, their rates per person-year and the ratio
    during / before with its 95 % interval; for a group, ``member_id`` is None."""

    member_id: MemberId | None
    members: int
    before_count: int
    before_years: float
    during_count: int
    during_years: float
    before_rate: float | None
    during_rate: float | None
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    corrected: bool
    note: str


@dataclass(frozen=True)
class PairedTest:
    """The Wilcoxon signed-rank test of members' during against before rates, or the reason
    it was not run (``statistic`` and ``p_value`` None)."""

    n: int
    n_nonzero: int
    statistic: float | None
    p_value: float | None
    method: str | None
    reason: str | None


def work_date(year: int | None, date: str | dt.date | None = None) -> dt.date | None:
    """The day a work counts at: its date, the 15th of its month, or 1 July of its year."""
    if isinstance(date, dt.date):
        return date
    parts = [int(part) for part in (date or "").split("-")[:3] if part.isdigit()]
    year = parts[0] if parts else year
    if year is None or not 1 <= year <= 9999:
        return None
    month = parts[1] if len(parts) > 1 and 1 <= parts[1] <= 12 else None
    if month is None:
        return dt.date(year, 7, 1)
    try:
        return dt.date(year, month, parts[2] if len(parts) > 2 else 15)
    except ValueError:
        return dt.date(year, month, 15)


def works_per_year(works: Iterable[MemberWork]) -> dict[MemberId, dict[int, dict[str, int]]]:
    """Counts of works by member, then year, then type; works without a year are left out."""
    counts: dict[MemberId, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for work in works:
        year = work.date.year if work.date else work.year
        if year is not None:
            counts[work.member_id][year][work.type] += 1
    return {
        member: {year: dict(sorted(types.items())) for year, types in sorted(years.items())}
        for member, years in counts.items()
    }


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` years earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def person_years(start: dt.date, end: dt.date) -> float:
    """The person-years from ``start`` to ``end`` (end excluded), never negative."""
    return max((end - start).days, 0) / DAYS_PER_YEAR


def rate_ratio(
    during_count: int, during_years: float, before_count: int, before_years: float
) -> tuple[float, float, float, bool] | None:
    """(ratio, CI low, CI high, corrected) of the during rate over the before rate, or None
    when either period has no person-time or neither has any work."""
    if during_years <= 0 or before_years <= 0 or during_count + before_count == 0:
        return None
    corrected = during_count == 0 or before_count == 0
    a = during_count + (CONTINUITY if corrected else 0)
    b = before_count + (CONTINUITY if corrected else 0)
    log_ratio = math.log((a / during_years) / (b / before_years))
    margin = Z_95 * math.sqrt(1 / a + 1 / b)
    return (
        math.exp(log_ratio),
        math.exp(log_ratio - margin),
        math.exp(log_ratio + margin),
        corrected,
    )


def compare_member(
    works: Iterable[MemberWork],
    span: MembershipSpan,
    *,
    today: dt.date,
    before_years: int = 3,
    types: Collection[str] | None = None,
) -> RateComparison:
    """One member's works in the years before joining against their works as a member."""
    start = years_before(span.joined_on, before_years)
    end = min(span.left_on or today, today)
    days = [
        work_date(work.year, work.date)
        for work in works
        if work.member_id == span.member_id and (types is None or work.type in types)
    ]
    before = sum(1 for day in days if day is not None and start <= day < span.joined_on)
    during = sum(1 for day in days if day is not None and span.joined_on <= day < end)
    exposure = (person_years(start, span.joined_on), person_years(span.joined_on, end))
    return _comparison(span.member_id, 1, before, during, exposure)


def compare_members(
    works: Iterable[MemberWork],
    spans: Sequence[MembershipSpan],
    *,
    today: dt.date,
    before_years: int = 3,
    types: Collection[str] | None = None,
) -> list[RateComparison]:
    """:func:`compare_member` for each membership, in the order given."""
    by_member: dict[MemberId, list[MemberWork]] = defaultdict(list)
    for work in works:
        by_member[work.member_id].append(work)
    return [
        compare_member(
            by_member[s.member_id], s, today=today, before_years=before_years, types=types
        )
        for s in spans
    ]


def pooled(comparisons: Iterable[RateComparison]) -> RateComparison:
    """A group's rate ratio: counts and person-years summed over the members who have
    person-time in both periods (a member who joined today adds nothing yet)."""
    usable = [c for c in comparisons if c.before_years > 0 and c.during_years > 0]
    before = sum(c.before_count for c in usable)
    during = sum(c.during_count for c in usable)
    exposure = (sum(c.before_years for c in usable), sum(c.during_years for c in usable))
    return _comparison(None, len(usable), before, during, exposure)


def paired_test(comparisons: Iterable[RateComparison]) -> PairedTest:
    """The Wilcoxon signed-rank test across members of during against before rates (two-
    sided; zero differences dropped); not run with fewer than five non-zero differences."""
    pairs = [
        (c.during_rate, c.before_rate)
        for c in comparisons
        if c.during_rate is not None and c.before_rate is not None
    ]
    # Rounded so that rates equal in exact arithmetic tie instead of ranking apart.
    differences = [round(during - before, 9) for during, before in pairs]
    nonzero = [d for d in differences if d != 0]
    if len(nonzero) < MIN_PAIRED:
        reason = (
            f"{len(pairs)} members with rates in both periods, {len(nonzero)} of them with a "
            f"change; the test needs at least {MIN_PAIRED} changes."
        )
        return PairedTest(len(pairs), len(nonzero), None, None, None, reason)
    # The exact null distribution holds without ties; otherwise the normal approximation.
    tied = len({abs(d) for d in nonzero}) < len(nonzero)
    method = "asymptotic" if tied or len(nonzero) > 50 else "exact"
    result = stats.wilcoxon(nonzero, alternative="two-sided", method=method)
    return PairedTest(
        len(pairs), len(nonzero), float(result.statistic), float(result.pvalue), method, None
    )


def _comparison(
    member_id: MemberId | None,
    members: int,
    before: int,
    during: int,
    exposure: tuple[float, float],
) -> RateComparison:
    before_years, during_years = exposure
    ratio = rate_ratio(during, during_years, before, before_years)
    low, high, corrected = (ratio[1], ratio[2], ratio[3]) if ratio else (None, None, False)
    return RateComparison(
        member_id=member_id,
        members=members,
        before_count=before,
        during_count=during,
        before_years=before_years,
        during_years=during_years,
        before_rate=before / before_years if before_years > 0 else None,
        during_rate=during / during_years if during_years > 0 else None,
        ratio=ratio[0] if ratio else None,
        ci_low=low,
        ci_high=high,
        corrected=corrected,
        note=_note(before_years, during_years, before + during, corrected),
    )


def _note(before_years: float, during_years: float, total: int, corrected: bool) -> str:
    if during_years <= 0:
        return "no time as a member yet, so no rate ratio"
    if before_years <= 0:
        return "no time before joining, so no rate ratio"
    if total == 0:
        return "no works in either period, so no rate ratio"
    if corrected:
        return "one period has no works: 0.5 was added to both counts"
    return ""
