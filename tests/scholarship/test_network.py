"""Collaboration network: pair counts before and during membership, new ties, density, layout."""

from __future__ import annotations

import datetime as dt
import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.network import (
    Network,
    SharedWork,
    collaboration_network,
    density,
    layout,
    new_ties,
    pair_counts,
    summary,
    to_graph,
)
from peermentor.scholarship.productivity import MembershipSpan

TODAY = dt.date(2024, 1, 1)
SPANS = [
    MembershipSpan("ana", dt.date(2020, 1, 1)),
    MembershipSpan("ben", dt.date(2020, 1, 1)),
    MembershipSpan("cy", dt.date(2021, 1, 1), left_on=dt.date(2022, 1, 1)),
]


def shared(work_id: str, day: dt.date | None, *members: str) -> SharedWork:
    return SharedWork(work_id, day, frozenset(members))


WORKS = [
    shared("w1", dt.date(2019, 5, 1), "ana", "ben"),
    shared("w2", dt.date(2021, 5, 1), "ana", "ben", "cy", "outsider"),
    shared("w3", None, "ana", "cy"),
    shared("w4", dt.date(2020, 6, 1), "ana", "cy"),
    shared("w5", dt.date(2023, 6, 1), "ben", "cy"),
    shared("w6", dt.date(2022, 2, 1), "ana"),
]


def test_pair_counts_count_shared_works_among_group_members_only() -> None:
    assert pair_counts(WORKS, SPANS, today=TODAY) == {
        ("ana", "ben"): 2,
        ("ana", "cy"): 3,
        ("ben", "cy"): 2,
    }


def test_before_is_before_the_later_of_the_two_joined() -> None:
    # w4 (June 2020) is before cy joined in 2021, so it is "before" for ana and cy.
    assert pair_counts(WORKS, SPANS, period="before", today=TODAY) == {
        ("ana", "ben"): 1,
        ("ana", "cy"): 1,
    }


def test_before_years_limits_the_before_window() -> None:
    counts = pair_counts(WORKS, SPANS, period="before", today=TODAY, before_years=1)
    assert counts == {("ana", "ben"): 1, ("ana", "cy"): 1}
    counts = pair_counts(
        [shared("old", dt.date(2015, 1, 1), "ana", "ben")],
        SPANS,
        period="before",
        today=TODAY,
        before_years=3,
    )
    assert counts == {}


def test_during_ends_when_either_member_leaves() -> None:
    # w5 (2023) is after cy left at the start of 2022, so it is not "during" for ben and cy.
    assert pair_counts(WORKS, SPANS, period="during", today=TODAY) == {
        ("ana", "ben"): 1,
        ("ana", "cy"): 1,
        ("ben", "cy"): 1,
    }


def test_undated_works_count_only_in_the_whole_network() -> None:
    undated = [shared("u", None, "ana", "ben")]
    assert pair_counts(undated, SPANS, period="all", today=TODAY) == {("ana", "ben"): 1}
    assert pair_counts(undated, SPANS, period="during", today=TODAY) == {}
    assert pair_counts(undated, SPANS, period="before", today=TODAY) == {}


def test_networks_keep_every_member_and_report_new_ties_and_density() -> None:
    before = collaboration_network(WORKS, SPANS, period="before", today=TODAY)
    during = collaboration_network(WORKS, SPANS, period="during", today=TODAY)
    assert before.nodes == during.nodes == ("ana", "ben", "cy")
    assert new_ties(before, during) == [("ben", "cy")]
    assert density(before) == 2 / 3
    assert during.density == 1.0
    assert summary(before, during) == {
        "members": 3,
        "ties_before": 2,
        "ties_during": 3,
        "works_before": 2,
        "works_during": 3,
        "density_before": 2 / 3,
        "density_during": 1.0,
        "new_ties": [("ben", "cy")],
    }


def test_no_works_and_lone_members_give_an_empty_network() -> None:
    network = collaboration_network([], SPANS[:1], today=TODAY)
    assert network == Network(("ana",), {})
    assert density(network) == 0.0
    assert new_ties(network, network) == []
    assert layout(Network(())) == {}


def test_to_graph_carries_the_weights() -> None:
    graph = to_graph(collaboration_network(WORKS, SPANS, today=TODAY))
    assert graph["ana"]["cy"]["weight"] == 3
    assert sorted(graph.nodes) == ["ana", "ben", "cy"]


def test_layout_is_plain_positions_the_same_for_the_same_seed() -> None:
    network = collaboration_network(WORKS, [*SPANS, MembershipSpan("dee", TODAY)], today=TODAY)
    first, again, other = layout(network, seed=7), layout(network, seed=7), layout(network, seed=8)
    assert first == again
    assert first != other
    assert set(first) == {"ana", "ben", "cy", "dee"}
    for x, y in first.values():
        assert isinstance(x, float)
        assert isinstance(y, float)
        assert -1.0 - 1e-6 <= x <= 1.0 + 1e-6
        assert -1.0 - 1e-6 <= y <= 1.0 + 1e-6


MEMBERS = st.sampled_from(["a", "b", "c", "d", "e", "x"])


@settings(max_examples=100, deadline=None)
@given(
    works=st.lists(
        st.tuples(st.frozensets(MEMBERS, max_size=5), st.none() | st.integers(-2000, 400)),
        max_size=25,
    ),
    joined=st.lists(st.integers(-1500, 0), min_size=5, max_size=5),
)
def test_pair_counts_add_up_and_new_ties_are_new(
    works: list[tuple[frozenset[str], int | None]], joined: list[int]
) -> None:
    spans = [
        MembershipSpan(m, TODAY + dt.timedelta(days=d))
        for m, d in zip("abcde", joined, strict=True)
    ]
    items = [
        shared(str(n), None if d is None else TODAY + dt.timedelta(days=d), *members)
        for n, (members, d) in enumerate(works)
    ]
    total = pair_counts(items, spans, today=TODAY)
    expected = sum(math.comb(len(members - {"x"}), 2) for members, _ in works)
    assert sum(total.values()) == expected
    assert all(a < b for a, b in total)
    before = collaboration_network(items, spans, period="before", today=TODAY)
    during = collaboration_network(items, spans, period="during", today=TODAY)
    for pair, count in itertools.chain(before.edges.items(), during.edges.items()):
        assert 0 < count <= total[pair]
    ties = new_ties(before, during)
    assert set(ties) <= set(during.edges)
    assert not set(ties) & set(before.edges)
    assert 0.0 <= density(during) <= 1.0
