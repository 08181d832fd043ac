"""The collaboration network of a group: members joined by the works they wrote together,
before and during their membership, with new ties, density and a drawing layout.

Pure module: no Django import. networkx does the graph work inside; what goes in and out is
plain data (tuples, dicts, dataclasses). A pair's periods are its own: "before" is before the
later of the two joined (within ``before_years`` of it, if given); "during" is from then until
the earlier of the two left or ``today``, end excluded. A work with no date counts only in
the "all" network.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from peermentor.scholarship.productivity import MemberId, MembershipSpan, years_before

Period = Literal["all", "before", "during"]
Pair = tuple[MemberId, MemberId]


@dataclass(frozen=True)
class SharedWork:
    """One work and the members among its authors (other authors are left out)."""

    work_id: Hashable
    date: dt.date | None
    member_ids: frozenset[MemberId]


@dataclass(frozen=True)
class Network:
    """Members (every one, including those with no tie) and the works each pair shares."""

    nodes: tuple[MemberId, ...]
    edges: dict[Pair, int] = field(default_factory=dict)

    @property
    def density(self) -> float:
        """The share of possible pairs that have at least one shared work."""
        return density(self)


def pair_counts(
    works: Iterable[SharedWork],
    spans: Sequence[MembershipSpan],
    *,
    period: Period = "all",
    today: dt.date,
    before_years: int | None = None,
) -> dict[Pair, int]:
    """The number of works each pair of the group's members wrote together in the period."""
    by_member = {span.member_id: span for span in spans}
    counts: Counter[Pair] = Counter()
    for work in works:
        members = sorted(m for m in work.member_ids if m in by_member)
        for a, b in itertools.combinations(members, 2):
            window = _window(by_member[a], by_member[b], period, today, before_years)
            if window is None or (work.date is not None and window[0] <= work.date < window[1]):
                counts[(a, b)] += 1
    return dict(sorted(counts.items()))


def collaboration_network(
    works: Iterable[SharedWork],
    spans: Sequence[MembershipSpan],
    *,
    period: Period = "all",
    today: dt.date,
    before_years: int | None = None,
) -> Network:
    """The group's network in the period: every member a node, every shared work a weight."""
    counts = pair_counts(works, spans, period=period, today=today, before_years=before_years)
    return Network(tuple(sorted({span.member_id for span in spans})), counts)


def new_ties(before: Network, during: Network) -> list[Pair]:
    """The pairs who wrote together during membership but not before it."""
    return sorted(pair for pair in during.edges if pair not in before.edges)


def density(network: Network) -> float:
    """The share of possible member pairs with a tie (0 for fewer than two members)."""
    return float(nx.density(to_graph(network))) if len(network.nodes) > 1 else 0.0


def summary(before: Network, during: Network) -> dict[str, object]:
    """The before and during figures side by side, as plain data for a report."""
    return {
        "members": len(during.nodes),
        "ties_before": len(before.edges),
        "ties_during": len(during.edges),
        "works_before": sum(before.edges.values()),
        "works_during": sum(during.edges.values()),
        "density_before": density(before),
        "density_during": density(during),
        "new_ties": new_ties(before, during),
    }


def to_graph(network: Network) -> nx.Graph:
    """The network as a networkx graph with ``weight`` on each edge, nodes in sorted order."""
    graph = nx.Graph()
    graph.add_nodes_from(network.nodes)
    graph.add_weighted_edges_from((a, b, weight) for (a, b), weight in network.edges.items())
    return graph


def layout(network: Network, seed: int = 0) -> dict[MemberId, tuple[float, float]]:
    """Node positions in [-1, 1] for drawing (a spring layout, heavier ties closer), the same
    for the same network and seed."""
    if not network.nodes:
        return {}
    positions = nx.spring_layout(to_graph(network), seed=seed, weight="weight")
    return {node: (round(float(x), 6), round(float(y), 6)) for node, (x, y) in positions.items()}


def _window(
    a: MembershipSpan,
    b: MembershipSpan,
    period: Period,
    today: dt.date,
    before_years: int | None,
) -> tuple[dt.date, dt.date] | None:
    if period == "all":
        return None
    together = max(a.joined_on, b.joined_on)
    if period == "before":
        start = years_before(together, before_years) if before_years is not None else dt.date.min
        return start, together
    return together, min(a.left_on or today, b.left_on or today, today)
