"""Kaplan–Meier estimate of staying in a group: members who left are events, the rest censored.

Pure module: no Django import. Times are days since joining; the curve steps down at each time
someone left and carries the number still at risk, so a table can show every figure it draws.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stay:
    """One membership: how long it has lasted, and whether it ended by leaving (an event)."""

    days: int
    left: bool


@dataclass(frozen=True)
class Step:
    """The estimate just after ``day``: still at risk before it, leavers and censored on it."""

    day: int
    at_risk: int
    left: int
    censored: int
    staying: float


def kaplan_meier(stays: Iterable[Stay]) -> list[Step]:
    """The product-limit estimate, one step per day on which anyone left or was censored.

    The first step is day 0 with everyone at risk and the estimate 1. A member censored on the
    same day as a leaver still counts as at risk on that day (the usual convention).
    """
    stays = list(stays)
    if any(stay.days < 0 for stay in stays):
        raise ValueError("A stay cannot be shorter than zero days.")
    left = Counter(stay.days for stay in stays if stay.left)
    censored = Counter(stay.days for stay in stays if not stay.left)
    at_risk = len(stays)
    staying = 1.0
    steps = [Step(0, at_risk, 0, 0, 1.0)]
    for day in sorted(set(left) | set(censored)):
        if left[day]:
            staying *= 1 - left[day] / at_risk
        if day == 0 and steps[0].day == 0:
            steps[0] = Step(0, at_risk, left[day], censored[day], staying)
        else:
            steps.append(Step(day, at_risk, left[day], censored[day], staying))
        at_risk -= left[day] + censored[day]
    return steps


def staying_at(steps: list[Step], day: int) -> float:
    """The estimate on ``day``: the last step at or before it."""
    value = 1.0
    for step in steps:
        if step.day > day:
            break
        value = step.staying
    return value
