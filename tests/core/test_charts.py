"""Charts are drawn once per process for the same numbers, and forgotten oldest first."""

from __future__ import annotations

import pytest

from peermentor.core import charts


def test_the_same_numbers_are_drawn_once() -> None:
    drawn: list[tuple[str, ...]] = []

    @charts.remembered
    def chart(*labels: str, ylabel: str = "") -> str:
        drawn.append(labels)
        return f"<svg>{'|'.join(labels)}{ylabel}</svg>"

    assert chart("a", "b", ylabel="n") == "<svg>a|bn</svg>"
    assert chart("a", "b", ylabel="n") == "<svg>a|bn</svg>"
    assert chart("a", "b", ylabel="m") == "<svg>a|bm</svg>"
    assert drawn == [("a", "b"), ("a", "b")]


def test_old_charts_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "REMEMBERED_CHARTS", 2)
    drawn: list[int] = []

    @charts.remembered
    def chart(n: int) -> str:
        drawn.append(n)
        return str(n)

    for n in (1, 2, 1, 3, 1, 2):
        chart(n)
    # 1 stays (used again before 3 came); 2 is forgotten when 3 comes, so it is drawn again.
    assert drawn == [1, 2, 3, 2]


def test_a_real_chart_is_the_same_svg_when_remembered() -> None:
    first = charts.grouped_bars(["2019", "2020"], {"Held": [3, 4]}, ylabel="Meetings")
    again = charts.grouped_bars(["2019", "2020"], {"Held": [3, 4]}, ylabel="Meetings")
    assert first is again
    assert first.startswith("<?xml")
    assert charts.grouped_bars(["2019"], {"Held": [3]}, ylabel="Meetings") != first
