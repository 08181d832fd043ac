"""The Kaplan–Meier estimate of staying in a group."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peermentor.reports.survival import Stay, kaplan_meier, staying_at


def test_textbook_example_with_censoring() -> None:
    # Leavers at 3, 5, 5 and 9 days; censored at 4 and 9 (censored counted at risk at 9).
    stays = [
        Stay(3, True),
        Stay(4, False),
        Stay(5, True),
        Stay(5, True),
        Stay(9, True),
        Stay(9, False),
    ]
    steps = kaplan_meier(stays)
    assert [(s.day, s.at_risk, s.left, s.censored) for s in steps] == [
        (0, 6, 0, 0),
        (3, 6, 1, 0),
        (4, 5, 0, 1),
        (5, 4, 2, 0),
        (9, 2, 1, 1),
    ]
    assert steps[1].staying == pytest.approx(5 / 6)
    assert steps[3].staying == pytest.approx(5 / 6 * 2 / 4)
    assert steps[4].staying == pytest.approx(5 / 6 * 2 / 4 * 1 / 2)
    assert staying_at(steps, 4) == pytest.approx(5 / 6)
    assert staying_at(steps, 100) == pytest.approx(5 / 24)


def test_nobody_left_means_everyone_stays() -> None:
    steps = kaplan_meier([Stay(1500, False)] * 7)
    assert all(step.staying == 1.0 for step in steps)
    assert steps[0].at_risk == 7


def test_no_memberships_gives_the_starting_point_only() -> None:
    assert kaplan_meier([]) == kaplan_meier([])
    assert len(kaplan_meier([])) == 1


def test_a_negative_stay_is_refused() -> None:
    with pytest.raises(ValueError, match="shorter than zero"):
        kaplan_meier([Stay(-1, True)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 3000), st.booleans()), max_size=60))
def test_the_curve_never_rises_and_stays_a_share(pairs: list[tuple[int, bool]]) -> None:
    steps = kaplan_meier(Stay(days, left) for days, left in pairs)
    values = [s.staying for s in steps]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values, reverse=True)
    assert sum(s.left + s.censored for s in steps) == len(pairs)
    if not any(left for _, left in pairs):
        assert values[-1] == 1.0
