"""Productivity: works per year, before/during rate ratios, the paired test, small cells."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.productivity import (
    MembershipSpan,
    MemberWork,
    RateComparison,
    compare_member,
    compare_members,
    paired_test,
    person_years,
    pooled,
    rate_ratio,
    work_date,
    works_per_year,
    years_before,
)

TODAY = dt.date(2023, 1, 1)
JOINED = dt.date(2020, 1, 1)


def work(member: object, day: dt.date, kind: str = "journal_article") -> MemberWork:
    return MemberWork(member, kind, day.year, day)


def comparison(before_rate: float, during_rate: float) -> RateComparison:
    """A comparison with these rates over one person-year in each period."""
    return RateComparison(
        member_id=None,
        members=1,
        before_count=0,
        before_years=1.0,
        during_count=0,
        during_years=1.0,
        before_rate=before_rate,
        during_rate=during_rate,
        ratio=None,
        ci_low=None,
        ci_high=None,
        corrected=False,
        note="",
    )


def test_works_per_year_counts_by_member_year_and_type() -> None:
    works = [
        work(1, dt.date(2020, 3, 1)),
        work(1, dt.date(2020, 9, 1)),
        work(1, dt.date(2020, 9, 1), "poster"),
        work(1, dt.date(2021, 1, 1)),
        work(2, dt.date(2021, 5, 1), "grant"),
        MemberWork(2, "award", None, None),
    ]
    assert works_per_year(works) == {
        1: {2020: {"journal_article": 2, "poster": 1}, 2021: {"journal_article": 1}},
        2: {2021: {"grant": 1}},
    }


def test_works_per_year_of_no_works_is_empty() -> None:
    assert works_per_year([]) == {}


def test_a_work_counts_at_its_date_mid_month_or_first_of_july() -> None:
    assert work_date(2014, "2014-02-11") == dt.date(2014, 2, 11)
    assert work_date(2014, "2014-02") == dt.date(2014, 2, 15)
    assert work_date(2014, "2014") == dt.date(2014, 7, 1)
    assert work_date(2014) == dt.date(2014, 7, 1)
    assert work_date(2014, "2014-02-30") == dt.date(2014, 2, 15)
    assert work_date(None, None) is None
    assert work_date(None, dt.date(2001, 1, 2)) == dt.date(2001, 1, 2)


def test_years_before_keeps_the_day_and_handles_29_february() -> None:
    assert years_before(dt.date(2020, 1, 1), 3) == dt.date(2017, 1, 1)
    assert years_before(dt.date(2020, 2, 29), 1) == dt.date(2019, 2, 28)
    assert years_before(dt.date(2020, 1, 1), -2) == dt.date(2022, 1, 1)


def test_rate_ratio_matches_the_textbook_fluoroscopy_example() -> None:
    """Rothman, *Epidemiology: An Introduction* (Oxford, 2002), Table 4-6, from Boice & Monson's
    cohort of women treated for tuberculosis: breast cancer in 41 cases over 28,010
    person-years after X-ray fluoroscopy against 15 cases over 19,017 person-years without —
    "nearly twice the incidence rate".

    By hand: RR = (41 / 28010) / (15 / 19017) = 0.0014638 / 0.00078877 = 1.8558.
    SE(ln RR) = √(1/41 + 1/15) = √(0.024390 + 0.066667) = √0.091057 = 0.30176.
    95 % CI = exp(ln 1.8558 ± 1.95996 × 0.30176) = exp(0.61829 ± 0.59144)
            = (exp 0.02685, exp 1.20973) = (1.0272, 3.3526).
    """
    ratio, low, high, corrected = rate_ratio(41, 28_010, 15, 19_017)  # type: ignore[misc]
    assert ratio == pytest.approx(1.8558, abs=1e-4)
    assert low == pytest.approx(1.0272, abs=1e-4)
    assert high == pytest.approx(3.3526, abs=1e-4)
    assert corrected is False


def test_member_comparison_counts_each_window_and_its_person_years() -> None:
    """Joined 1 January 2020, three years before: 1 January 2017 to 31 December 2019, 1,095
    days = 2.99795 person-years; during to 1 January 2023 (today, excluded): 1,096 days =
    3.00068 person-years. Three works before, six during.

    RR = (6 / 3.00068) / (3 / 2.99795) = 1.99818; SE = √(1/6 + 1/3) = 0.70711;
    CI = 1.99818 × exp(∓1.95996 × 0.70711) = (0.49974, 7.98958).
    """
    before = [
        dt.date(2016, 12, 31),
        dt.date(2017, 1, 1),
        dt.date(2018, 6, 1),
        dt.date(2019, 12, 31),
    ]
    during = [
        dt.date(2020, 1, 1),
        *(dt.date(2021, m, 1) for m in (1, 3, 5, 7)),
        dt.date(2022, 12, 31),
    ]
    works = [work("a", day) for day in [*before, *during, dt.date(2023, 1, 1)]]
    result = compare_member(works, MembershipSpan("a", JOINED), today=TODAY, before_years=3)
    assert (result.before_count, result.during_count) == (3, 6)
    assert result.before_years == pytest.approx(1095 / 365.25)
    assert result.during_years == pytest.approx(1096 / 365.25)
    assert result.ratio == pytest.approx(1.99818, abs=1e-5)
    assert result.ci_low == pytest.approx(0.49974, abs=1e-5)
    assert result.ci_high == pytest.approx(7.98958, abs=1e-5)
    assert not result.corrected
    assert result.note == ""


def test_zero_works_before_uses_the_continuity_correction() -> None:
    """Four works during, none before: 0.5 is added to both counts. RR = (4.5 / 3.00068) /
    (0.5 / 2.99795) = 8.99179; SE = √(1/4.5 + 1/0.5) = 1.49071; CI = (0.48412, 167.00998)."""
    works = [work("a", dt.date(2021, m, 1)) for m in (1, 2, 3, 4)]
    result = compare_member(works, MembershipSpan("a", JOINED), today=TODAY)
    assert result.corrected
    assert result.ratio == pytest.approx(8.99179, abs=1e-5)
    assert result.ci_low == pytest.approx(0.48412, abs=1e-5)
    assert result.ci_high == pytest.approx(167.00998, abs=1e-4)
    assert "0.5" in result.note


def test_no_works_in_either_period_gives_no_ratio() -> None:
    result = compare_member([], MembershipSpan("a", JOINED), today=TODAY)
    assert result.ratio is None
    assert result.ci_low is None
    assert (result.before_rate, result.during_rate) == (0.0, 0.0)
    assert "no works" in result.note


def test_a_member_who_left_counts_only_until_leaving() -> None:
    span = MembershipSpan("a", JOINED, left_on=dt.date(2021, 1, 1))
    works = [work("a", dt.date(2020, 6, 1)), work("a", dt.date(2022, 6, 1))]
    result = compare_member(works, span, today=TODAY)
    assert result.during_count == 1
    assert result.during_years == pytest.approx(366 / 365.25)


def test_a_member_who_joined_today_has_no_ratio_yet() -> None:
    result = compare_member(
        [work("a", dt.date(2019, 1, 1))], MembershipSpan("a", TODAY), today=TODAY
    )
    assert result.during_years == 0
    assert result.ratio is None
    assert result.during_rate is None
    assert "no time as a member" in result.note


def test_compare_member_ignores_other_members_and_other_types() -> None:
    works = [
        work("a", dt.date(2021, 1, 1)),
        work("b", dt.date(2021, 1, 1)),
        work("a", dt.date(2021, 2, 1), "poster"),
    ]
    result = compare_member(works, MembershipSpan("a", JOINED), today=TODAY, types={"poster"})
    assert result.during_count == 1


def test_compare_members_keeps_the_order_of_the_memberships() -> None:
    spans = [MembershipSpan("b", JOINED), MembershipSpan("a", JOINED)]
    results = compare_members([work("a", dt.date(2021, 1, 1))], spans, today=TODAY)
    assert [(r.member_id, r.during_count) for r in results] == [("b", 0), ("a", 1)]


def test_pooled_sums_counts_and_person_years_of_members_with_both_periods() -> None:
    spans = [MembershipSpan("a", JOINED), MembershipSpan("b", JOINED), MembershipSpan("c", TODAY)]
    works = [
        work("a", dt.date(2018, 1, 1)),
        work("a", dt.date(2021, 1, 1)),
        work("a", dt.date(2021, 2, 1)),
        work("b", dt.date(2021, 1, 1)),
        work("c", dt.date(2021, 1, 1)),
    ]
    group = pooled(compare_members(works, spans, today=TODAY))
    assert group.member_id is None
    assert group.members == 2
    assert (group.before_count, group.during_count) == (1, 3)
    assert group.before_years == pytest.approx(2 * 1095 / 365.25)
    assert group.during_years == pytest.approx(2 * 1096 / 365.25)
    assert group.ratio == pytest.approx((3 / (2 * 1096)) / (1 / (2 * 1095)))


def test_pooled_of_nobody_has_no_ratio() -> None:
    group = pooled([])
    assert group.members == 0
    assert group.ratio is None


def test_paired_test_matches_a_hand_computed_wilcoxon_signed_rank() -> None:
    """Differences 1.5, −0.5, 2, 3, 4, 2.5: ranks of |d| are 2, 1, 3, 5, 6, 4, so W+ = 20 and
    W− = 1; the statistic is min(W+, W−) = 1. Exactly, of the 2⁶ = 64 sign patterns only two
    have W− ≤ 1 (none negative, or only rank 1), so the two-sided p = 2 × 2/64 = 0.0625."""
    differences = [1.5, -0.5, 2, 3, 4, 2.5]
    result = paired_test([comparison(1.0, 1.0 + d) for d in differences])
    assert (result.n, result.n_nonzero) == (6, 6)
    assert result.statistic == 1.0
    assert result.p_value == pytest.approx(0.0625)
    assert result.method == "exact"
    assert result.reason is None


def test_paired_test_needs_five_members_whose_rate_changed() -> None:
    result = paired_test([comparison(1, 2), comparison(1, 3), comparison(2, 2), comparison(1, 0.5)])
    assert result.statistic is None
    assert result.p_value is None
    assert (result.n, result.n_nonzero) == (4, 3)
    assert "at least 5" in (result.reason or "")


def test_paired_test_leaves_out_members_without_both_rates() -> None:
    joined_today = compare_member([], MembershipSpan("x", TODAY), today=TODAY)
    result = paired_test([joined_today, *(comparison(1, 1 + n) for n in range(1, 6))])
    assert result.n == 5
    assert result.statistic == 0.0


def test_paired_test_with_tied_differences_uses_the_normal_approximation() -> None:
    result = paired_test([comparison(1, 2) for _ in range(6)])
    assert result.method == "asymptotic"
    assert result.p_value is not None
    assert result.p_value < 0.05


@settings(max_examples=200, deadline=None)
@given(
    during=st.integers(0, 500),
    before=st.integers(0, 500),
    during_years=st.floats(0.01, 50),
    before_years=st.floats(0.01, 50),
)
def test_the_interval_contains_the_estimate_and_swapping_periods_inverts_it(
    during: int, before: int, during_years: float, before_years: float
) -> None:
    result = rate_ratio(during, during_years, before, before_years)
    if during + before == 0:
        assert result is None
        return
    assert result is not None
    ratio, low, high, corrected = result
    assert low < ratio < high
    assert corrected == (during == 0 or before == 0)
    swapped = rate_ratio(before, before_years, during, during_years)
    assert swapped is not None
    assert swapped[0] == pytest.approx(1 / ratio, rel=1e-9)
    assert swapped[1] == pytest.approx(1 / high, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    days=st.lists(st.integers(-3000, 3000), max_size=30),
    joined_offset=st.integers(-1000, 1000),
    stayed=st.one_of(st.none(), st.integers(0, 2000)),
)
def test_every_counted_work_lies_in_its_window(
    days: list[int], joined_offset: int, stayed: int | None
) -> None:
    joined = TODAY + dt.timedelta(days=joined_offset)
    left = joined + dt.timedelta(days=stayed) if stayed is not None else None
    works = [work("m", TODAY + dt.timedelta(days=d)) for d in days]
    result = compare_member(works, MembershipSpan("m", joined, left), today=TODAY, before_years=2)
    end = min(left or TODAY, TODAY)
    assert result.before_count == sum(
        1 for w in works if years_before(joined, 2) <= w.date < joined
    )  # type: ignore[operator]
    assert result.during_count == sum(1 for w in works if joined <= w.date < end)  # type: ignore[operator]
    assert result.during_years == pytest.approx(person_years(joined, end))
    assert math.isfinite(result.before_years)
