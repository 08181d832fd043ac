"""Charts of the dashboards and the report that core.charts does not draw: a survival curve and
simple bars. Pure module: no Django import; SVG text out, every number also shown in a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from peermentor.core.charts import PALETTE, grouped_bars, pyplot, remembered, to_svg
from peermentor.reports.survival import Step


@remembered
def survival_curve(steps: Sequence[Step], *, unit_days: int = 365) -> str:
    """The Kaplan–Meier curve of staying in a group, in years, with censored marks."""
    plt = pyplot()
    figure, axes = plt.subplots(figsize=(6.0, 3.0))
    xs, ys = [0.0], [1.0]
    for step in steps:
        xs += [step.day / unit_days, step.day / unit_days]
        ys += [ys[-1], step.staying]
    if steps:
        last = max(step.day for step in steps) / unit_days
        xs.append(last)
        ys.append(ys[-1])
    axes.plot(xs, ys, color=PALETTE[0], linewidth=2, drawstyle="default")
    marks = [(s.day / unit_days, s.staying) for s in steps if s.censored]
    if marks:
        axes.scatter(*zip(*marks, strict=True), marker="|", s=80, color=PALETTE[5], zorder=3)
    axes.set_ylim(0, 1.05)
    axes.set_xlabel("Years since joining")
    axes.set_ylabel("Share still in the group")
    axes.spines[["top", "right"]].set_visible(False)
    return to_svg(figure)


def bars(labels: Sequence[str], values: Sequence[float], *, ylabel: str) -> str:
    """One series of bars (meetings per year, attendance per year)."""
    return grouped_bars(list(labels), {ylabel: list(values)}, ylabel=ylabel)


def before_during(labels: Sequence[str], before: Sequence[float], during: Sequence[float]) -> str:
    """Before and during side by side for each label (hatched, not colour alone)."""
    return grouped_bars(
        list(labels),
        {"Before joining": list(before), "During membership": list(during)},
        ylabel="Works per person-year",
    )


COLLABORATION_GROUPS_DRAWN = 25  # more bars than this are unreadable; the tables hold them all


def collaboration_bars(ties: Sequence[tuple[str, int, int]]) -> str | None:
    """Pairs of members who wrote together before and during membership, per group, from
    (group, before, during) of the groups whose figures may be shown; the groups with the most
    ties during membership when there are more than ``COLLABORATION_GROUPS_DRAWN``, in the
    order given. None when no group has a tie."""
    if not any(before or during for _, before, during in ties):
        return None
    ranked = sorted(range(len(ties)), key=lambda i: (-ties[i][2], -ties[i][1], i))
    drawn = [ties[i] for i in sorted(ranked[:COLLABORATION_GROUPS_DRAWN])]
    return grouped_bars(
        [name[:18] for name, _, _ in drawn],
        {
            "Ties before": [before for _, before, _ in drawn],
            "Ties during": [during for _, _, during in drawn],
        },
        ylabel="Pairs who wrote together",
    )
