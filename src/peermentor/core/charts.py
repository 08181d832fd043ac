"""Server-rendered SVG charts (matplotlib), embedded as data URIs so no script or style is inline.

Every chart is drawn beside a table of its numbers; the charts carry no information the table
lacks. No Django import.
"""

from __future__ import annotations

import base64
import functools
import io
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

PALETTE = ("#1d4f91", "#c75b12", "#2e7d4f", "#7a4f9e", "#8a6d00", "#4a5560")
REMEMBERED_CHARTS = 256  # per process: drawing is the slow part of a page with charts

Draw = TypeVar("Draw", bound=Callable[..., str])


def remembered(draw: Draw) -> Draw:
    """Draw each chart once per process: the same numbers give the same SVG, so a page seen
    again (or by someone else) reuses it. Keyed by the ``repr`` of the arguments, which are
    plain numbers, strings and dataclasses of them; the oldest charts are forgotten first."""
    drawn: OrderedDict[str, str] = OrderedDict()

    @functools.wraps(draw)
    def chart(*args: Any, **kwargs: Any) -> str:
        key = repr((args, sorted(kwargs.items())))
        if key in drawn:
            drawn.move_to_end(key)
            return drawn[key]
        svg = draw(*args, **kwargs)
        drawn[key] = svg
        if len(drawn) > REMEMBERED_CHARTS:
            drawn.popitem(last=False)
        return svg

    return chart  # type: ignore[return-value]


def pyplot() -> Any:
    """matplotlib's pyplot, set up once for SVG with text kept as text (loaded on first use)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "svg.hashsalt": "peermentor",
        }
    )
    import matplotlib.pyplot as plt

    return plt


def to_svg(figure: Any) -> str:
    """The figure as SVG text, closed afterwards so memory does not grow."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    pyplot().close(figure)
    return buffer.getvalue()


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img>`` (allowed by the Content Security Policy)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@remembered
def grouped_bars(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    ylabel: str,
    width: float = 7.0,
) -> str:
    """Bars per category, one colour (and hatch, not colour alone) per series."""
    plt = pyplot()
    figure, axes = plt.subplots(figsize=(width, 3.2))
    count = max(len(series), 1)
    step = 0.8 / count
    for index, (label, values) in enumerate(series.items()):
        offsets = [i - 0.4 + step * (index + 0.5) for i in range(len(categories))]
        axes.bar(
            offsets,
            values,
            step,
            label=label,
            color=PALETTE[index % len(PALETTE)],
            hatch=("", "//", "..", "xx")[index % 4],
            edgecolor="white",
        )
    axes.set_xticks(range(len(categories)), categories, rotation=45 if len(categories) > 8 else 0)
    axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:  # above the bars, in a row: never on top of a bar
        axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(series))
    return to_svg(figure)


@remembered
def network(
    labels: Mapping[Hashable, str],
    positions: Mapping[Hashable, tuple[float, float]],
    edges: Mapping[tuple[Hashable, Hashable], int],
    *,
    new: Sequence[tuple[Hashable, Hashable]] = (),
) -> str:
    """Members as points, shared works as lines whose width is the count; new ties dashed."""
    plt = pyplot()
    figure, axes = plt.subplots(figsize=(5.5, 4.5))
    fresh = set(new)
    for (a, b), weight in edges.items():
        (x1, y1), (x2, y2) = positions[a], positions[b]
        axes.plot(
            [x1, x2],
            [y1, y2],
            color=PALETTE[1] if (a, b) in fresh else PALETTE[5],
            linewidth=1 + 0.6 * weight,
            linestyle="--" if (a, b) in fresh else "-",
            zorder=1,
        )
    for node, (x, y) in positions.items():
        axes.scatter([x], [y], s=160, color=PALETTE[0], zorder=2)
        axes.annotate(
            labels.get(node, str(node)),
            (x, y),
            xytext=(0, 10),
            textcoords="offset points",
            ha="center",
        )
    axes.set_axis_off()
    axes.margins(0.2)
    return to_svg(figure)
