"""Reads for scholarship: my works and claims, a group's shared works, productivity before and
during membership, and the collaboration network; program figures with small cells suppressed."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.core import disclosure
from peermentor.core.figures_cache import cached_figures
from peermentor.programs.models import Group, Membership, Program
from peermentor.scholarship import network, productivity
from peermentor.scholarship.models import Authorship, CareerEvent, Work

CONFIRMED = Authorship.Claim.CONFIRMED
BEFORE_YEARS = 3
DURING_YEARS = 4  # the span of the published evaluation; 0 means the whole membership


@dataclass(frozen=True)
class Window:
    """Years counted before joining, and years of membership counted (0: all of it)."""

    before: int = BEFORE_YEARS
    during: int = DURING_YEARS

    @classmethod
    def from_query(cls, query: Any) -> Window:
        """The window asked for in ``?before=&during=``, within sensible bounds."""

        def pick(name: str, default: int, low: int, high: int) -> int:
            value = query.get(name, "")
            return min(max(int(value), low), high) if value.isdigit() else default

        return cls(pick("before", BEFORE_YEARS, 1, 10), pick("during", DURING_YEARS, 0, 20))


def my_works(*, user: User) -> QuerySet[Work]:
    """Works the member is a confirmed author of, with their bylines and sources."""
    return (
        Work.objects.filter(authorships__member=user, authorships__claim=CONFIRMED)
        .distinct()
        .prefetch_related("authorships", "sources")
        .order_by("-year", "title")
    )


def claim_queue(*, user: User) -> QuerySet[Authorship]:
    """Name-only matches waiting for the member to say "this is me" or "not me"."""
    return (
        Authorship.objects.filter(member=user, claim=Authorship.Claim.PENDING)
        .select_related("work")
        .prefetch_related(Prefetch("work__authorships"))
        .order_by("-work__year")
    )


def career_events(*, user: User) -> QuerySet[CareerEvent]:
    """The member's promotions, awards and roles, newest first."""
    return user.career_events.all()


def _spans(memberships: list[Membership], window: Window) -> list[productivity.MembershipSpan]:
    spans = []
    for m in memberships:
        end = m.left_on
        if window.during:
            cap = productivity.years_before(m.joined_on, -window.during)  # years after
            end = min(end, cap) if end else cap
        spans.append(productivity.MembershipSpan(m.user_id, m.joined_on, end))
    return spans


def _member_works(
    member_ids: set[int],
) -> tuple[list[productivity.MemberWork], dict[int, network.SharedWork]]:
    rows = Authorship.objects.filter(member_id__in=member_ids, claim=CONFIRMED).values_list(
        "member_id", "work_id", "work__type", "work__year", "work__date"
    )
    works, shared = [], defaultdict(set)
    dates: dict[int, dt.date | None] = {}
    for member_id, work_id, kind, year, date in rows:
        day = productivity.work_date(year, date)
        works.append(productivity.MemberWork(member_id, kind, year, day))
        shared[work_id].add(member_id)
        dates[work_id] = day
    return works, {w: network.SharedWork(w, dates[w], frozenset(m)) for w, m in shared.items()}


@dataclass
class GroupScholarship:
    """A group's productivity and collaboration, as figures and plain data for charts."""

    comparisons: list[productivity.RateComparison]
    pooled: productivity.RateComparison
    paired: productivity.PairedTest
    per_year: list[tuple[int, int]]
    types: list[str]
    per_year_by_type: list[tuple[int, list[int]]]
    shared_works: list[Work]
    pairs: list[tuple[User, User, int]]
    network_summary: dict[str, Any]
    positions: dict[Any, tuple[float, float]]
    edges: dict[tuple[Any, Any], int]
    names: dict[int, str]


def group_scholarship(
    *, group: Group, today: dt.date | None = None, window: Window = Window()
) -> GroupScholarship:
    """Before/during rates per member and pooled, works per year, shared works and ties."""
    today = today or timezone.localdate()
    memberships = list(group.memberships.select_related("user"))
    spans = _spans(memberships, window)
    names = {m.user_id: m.user.name or m.user.email for m in memberships}
    works, shared = _member_works(set(names))
    comparisons = productivity.compare_members(
        works, spans, today=today, before_years=window.before
    )
    by_year: dict[int, int] = defaultdict(int)
    by_type: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for member_years in productivity.works_per_year(works).values():
        for year, types in member_years.items():
            by_year[year] += sum(types.values())
            for kind, count in types.items():
                by_type[year][kind] += count
    kinds = sorted({kind for counts in by_type.values() for kind in counts})
    joint = [s for s in shared.values() if len(s.member_ids) >= 2]
    before = network.collaboration_network(
        joint, spans, period="before", today=today, before_years=window.before
    )
    during = network.collaboration_network(joint, spans, period="during", today=today)
    everything = network.collaboration_network(joint, spans, period="all", today=today)
    users = {m.user_id: m.user for m in memberships}
    return GroupScholarship(
        comparisons=comparisons,
        pooled=productivity.pooled(comparisons),
        paired=productivity.paired_test(comparisons),
        per_year=sorted(by_year.items()),
        types=kinds,
        per_year_by_type=[(y, [by_type[y].get(k, 0) for k in kinds]) for y in sorted(by_type)],
        shared_works=list(Work.objects.filter(pk__in=[s.work_id for s in joint]).order_by("-year")),
        pairs=[
            (users[a], users[b], n)
            for (a, b), n in sorted(everything.edges.items(), key=lambda item: -item[1])
        ],
        network_summary=network.summary(before, during),
        positions=_positions(everything),
        edges=dict(everything.edges),
        names=names,
    )


def _positions(graph: network.Network) -> dict[Any, tuple[float, float]]:
    """A circle for a group-sized network (every member readable, isolates included)."""
    if len(graph.nodes) > 15:
        return network.layout(graph, seed=1)
    count = max(len(graph.nodes), 1)
    return {
        node: (math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count))
        for i, node in enumerate(graph.nodes)
    }


@dataclass
class ProgramRow:
    """One group's pooled figures in the program breakdown, or suppressed."""

    label: str
    people: int | None
    comparison: productivity.RateComparison | None
    hidden: disclosure.Reason | None = None


PROGRAM_FIGURES_SECONDS = 300  # the program's productivity is recomputed at most this often


def program_scholarship_cached(*, program: Program, window: Window = Window()) -> dict[str, Any]:
    """:func:`program_scholarship` as of at most a few minutes ago (it reads every work of
    every member); while one request recomputes it, the others get the previous figures."""
    return cached_figures(
        f"scholarship:program:{program.pk}:{window.before}:{window.during}",
        lambda: {**program_scholarship(program=program, window=window), "as_of": timezone.now()},
        fresh_seconds=PROGRAM_FIGURES_SECONDS,
    )


def program_scholarship(
    *, program: Program, today: dt.date | None = None, window: Window = Window()
) -> dict[str, Any]:
    """Pooled before/during figures for the program and per group (groups of fewer than five
    hidden, and a second group with a lone hidden one: ``core.disclosure``)."""
    today = today or timezone.localdate()
    memberships = list(Membership.objects.filter(group__program=program).select_related("group"))
    works, _ = _member_works({m.user_id for m in memberships})
    comparisons = productivity.compare_members(
        works, _spans(memberships, window), today=today, before_years=window.before
    )
    by_group: dict[int, list[productivity.RateComparison]] = defaultdict(list)
    for membership, comparison in zip(memberships, comparisons, strict=True):
        by_group[membership.group_id].append(comparison)
    groups = list(program.groups.order_by("formed_on"))
    hidden = disclosure.hidden_cells({g.pk: len(by_group.get(g.pk, [])) for g in groups})
    rows = [
        ProgramRow(group.name, None, None, hidden[group.pk])
        if group.pk in hidden
        else ProgramRow(
            group.name, len(by_group[group.pk]), productivity.pooled(by_group[group.pk])
        )
        for group in groups
    ]
    return {
        "pooled": productivity.pooled(comparisons),
        "paired": productivity.paired_test(comparisons),
        "rows": rows,
        "people": len(comparisons),
        "window": window,
    }
