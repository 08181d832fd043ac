"""Server-rendered SVG charts (matplotlib), embedded as data URIs so no script or style is inline.

Every chart is drawn beside a table of its numbers; the charts carry no information the table
lacks. No Django import.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

PALETTE = ("#1d4f91", "#c75b12", "#2e7d4f", "#7a4f9e", "#8a6d00", "#4a5560")


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
    if len(series) > 1:
        axes.legend(frameon=False)
    return to_svg(figure)


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
