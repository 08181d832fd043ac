"""Charts of the dashboards and the report that need more than core.charts."""

from __future__ import annotations

from peermentor.reports import figures


def test_collaboration_bars_are_left_out_when_nobody_wrote_together() -> None:
    assert figures.collaboration_bars([]) is None
    assert figures.collaboration_bars([("Group 1", 0, 0), ("Group 2", 0, 0)]) is None


def test_collaboration_bars_draw_every_group_when_there_are_few() -> None:
    svg = figures.collaboration_bars([("Group 1", 1, 3), ("Group 2", 0, 0)])
    assert svg is not None
    assert svg.startswith("<?xml")
    assert "Pairs who wrote together" in svg
    assert "Group 1" in svg
    assert "Group 2" in svg


def test_collaboration_bars_keep_the_groups_with_most_ties_during_in_their_order() -> None:
    count = figures.COLLABORATION_GROUPS_DRAWN + 5
    ties = [(f"Group {n:02}", 0, n) for n in range(count)]
    svg = figures.collaboration_bars(ties)
    assert svg is not None
    drawn = [f"Group {n:02}" for n in range(5, count)]
    left_out = [f"Group {n:02}" for n in range(5)]
    assert all(name in svg for name in drawn)
    assert not any(name in svg for name in left_out)
    positions = [svg.index(name) for name in drawn]
    assert positions == sorted(positions)
