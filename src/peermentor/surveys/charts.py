"""Charts of closed questions: diverging bars for Likert scales, plain bars for choices.

Drawn with the shared matplotlib setup of ``core.charts``; each chart sits beside the table of
its numbers, and suppressed cells (fewer than five) are drawn as nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from peermentor.core import charts

NEGATIVE = "#c75b12"
NEUTRAL = "#8d959e"
POSITIVE = "#1d4f91"


@charts.remembered
def diverging_bars(labels: Sequence[str], counts: Sequence[int | None]) -> str:
    """One horizontal bar per scale point: the lower half left of zero, the upper half right,
    the middle point (odd scales) split across zero; hatching tells the halves apart."""
    plt = charts.pyplot()
    figure, axes = plt.subplots(figsize=(6.5, 0.45 * len(labels) + 0.8))
    size = len(labels)
    middle = size // 2 if size % 2 else None
    for index, count in enumerate(counts):
        value = count or 0
        y = size - 1 - index
        if index == middle:
            axes.barh(y, value, left=-value / 2, color=NEUTRAL, edgecolor="white")
        elif index < size / 2:
            axes.barh(y, -value, color=NEGATIVE, hatch="//", edgecolor="white")
        else:
            axes.barh(y, value, color=POSITIVE, edgecolor="white")
        axes.annotate(
            str(count) if count is not None else "<5",
            (0, y),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=8,
        )
    axes.set_yticks(range(size), list(reversed(labels)))
    axes.axvline(0, color="#4a5560", linewidth=0.8)
    axes.set_xlabel("Answers (left: the lower end of the scale)")
    axes.spines[["top", "right"]].set_visible(False)
    return charts.data_uri(charts.to_svg(figure))


def choice_bars(labels: Sequence[str], counts: Sequence[int | None]) -> str:
    """Bars per choice, suppressed cells left empty."""
    svg = charts.grouped_bars(
        list(labels), {"Answers": [count or 0 for count in counts]}, ylabel="Answers"
    )
    return charts.data_uri(svg)
