"""Group formation: the score by hand, the rules on random instances, planted optima, errors."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from peermentor.programs.formation import (
    EXACT_LIMIT,
    Applicant,
    FormationError,
    FormationRequest,
    FormationResult,
    explain_group,
    form_groups,
    greedy_baseline,
    group_count,
    group_score,
    is_balanced,
)

QUICK = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
SECONDS = 0.5
SLOTS = ["Mon07", "Mon12", "Tue07", "Tue17", "Wed12", "Thu07", "Thu12", "Fri17"]
TOPICS = ["assessment", "simulation", "feedback", "wellness", "writing", "grants"]
DEPTS = ["Psychiatry", "Surgery", "Paediatrics", "Radiology"]
GENDERS = ["woman", "man", "non-binary", "prefer not to say", ""]


def person(pid: str, **fields: object) -> Applicant:
    return Applicant(id=pid, **fields)  # type: ignore[arg-type]


def check_rules(request: FormationRequest, result: FormationResult) -> None:
    """Everyone once, sizes, exclusions, one senior per group, pins, and consistent figures."""
    by_id = {a.id: a for a in request.applicants}
    placed = [pid for group in result.groups for pid in group]
    assert sorted(placed) == sorted(by_id)
    for index, group in enumerate(result.groups):
        assert request.min_size <= len(group) <= request.max_size
        for a in group:
            assert not by_id[a].exclude & set(group)
            assert not any(a in by_id[b].exclude for b in group)
        if request.senior_per_group:
            assert sum(by_id[a].senior for a in group) == 1
        for pid, pinned in request.pinned.items():
            assert (pid in group) == (pinned == index)
    members = [[by_id[a] for a in group] for group in result.groups]
    scores = [group_score(ms) for ms in members]
    assert result.objective == sum(scores)
    assert result.lowest_group_score == min(scores)
    assert [e.score.total for e in result.explanations] == scores
    assert result.isolated == sum(len(explain_group(ms).isolated) for ms in members)
    assert result.bound is None or result.bound >= result.objective
    assert result.gap is None or 0 <= result.gap <= 1


# --- The score and the explanations ---------------------------------------------------------


def tiny_group() -> list[Applicant]:
    return [
        person("a", department="Psychiatry", interests=frozenset({"x", "y"}),
               availability=frozenset({"Mon09", "Tue10"}), balance={"gender": "woman"}),
        person("b", department="psychiatry ", interests=frozenset({"x", "y", "z"}),
               availability=frozenset({"Mon09", "Tue10", "Wed11"}), balance={"gender": "woman"}),
        person("c", department="Surgery", interests=frozenset({"y", "z"}), senior=True,
               availability=frozenset({"Mon09"}), balance={"gender": "man"}),
    ]  # fmt: skip


def test_score_of_a_tiny_group_matches_the_hand_count() -> None:
    # Pairs: a–b share x, y (2); a–c share y (1); b–c share y, z (2): 5. All three are free on
    # Mon09 only: 2 × 1. Departments: Psychiatry (twice, spelt two ways) and Surgery: 2. Total 9.
    assert group_score(tiny_group()) == 9


def test_explanation_names_interests_slots_departments_and_isolation() -> None:
    why = explain_group(tiny_group())
    assert why.score.shared_interests == 5
    assert (why.score.common_slots, why.score.slot_points, why.score.departments) == (1, 2, 2)
    assert why.shared_interests == {"y": 3, "x": 2, "z": 2}
    assert why.common_slots == ("Mon09",)
    assert why.departments == {"Psychiatry": 2, "Surgery": 1}
    assert why.balance == {"gender": {"man": 1, "woman": 2}}
    assert why.isolated == (("gender", "man"),)
    assert why.seniors == ("c",)


def test_common_slots_are_listed_by_weekday_then_hour() -> None:
    free = frozenset({"Fri07", "Mon12", "Tue07", "Mon07"})
    why = explain_group([person("a", availability=free), person("b", availability=free)])
    assert why.common_slots == ("Mon07", "Mon12", "Tue07", "Fri07")


def test_undisclosed_values_are_not_balanced() -> None:
    assert not is_balanced("")
    assert not is_balanced("Prefer not to say")
    assert not is_balanced("prefer-not-to-say")
    assert is_balanced("non-binary")
    group = [person("a", balance={"gender": "prefer not to say"}), person("b")]
    assert explain_group(group).isolated == ()


# --- Random instances: every rule holds -----------------------------------------------------


@st.composite
def requests(
    draw: st.DrawFn, *, seniors: bool | None = None, pins: bool = True
) -> FormationRequest:
    low = draw(st.integers(2, 4))
    high = draw(st.integers(low, low + 3))
    n = draw(st.integers(2 * low, 14))
    assume(math.ceil(n / high) <= n // low)
    k = math.ceil(n / high)
    rule = draw(st.booleans()) if seniors is None else seniors
    senior_ids = set(draw(st.permutations(range(n)))[:k]) if rule else set()
    people = [
        {
            "id": f"p{i}",
            "senior": i in senior_ids,
            "department": draw(st.sampled_from(DEPTS)),
            "interests": frozenset(draw(st.lists(st.sampled_from(TOPICS), max_size=3))),
            "availability": frozenset(draw(st.lists(st.sampled_from(SLOTS), max_size=5))),
            "balance": {"gender": draw(st.sampled_from(GENDERS))},
        }
        for i in range(n)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2))
    excluded = {(a, b) for a, b in pairs if a != b}
    for a, b in excluded:
        people[a]["exclude"] = people[a].get("exclude", frozenset()) | {f"p{b}"}
    pinned = {}
    if pins:
        for i in draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True)):
            pinned[f"p{i}"] = draw(st.integers(0, k - 1))
    applicants = [Applicant(**p) for p in people]  # type: ignore[arg-type]
    seed = draw(st.integers(0, 3))
    return FormationRequest(applicants, low, high, rule, SECONDS, pinned, seed)


def formed(request: FormationRequest, baseline: bool = False) -> FormationResult:
    try:
        return greedy_baseline(request) if baseline else form_groups(request)
    except FormationError:
        assume(False)  # a random draw whose pins or exclusions cannot all hold
        raise


@QUICK
@given(requests())
def test_every_grouping_respects_sizes_exclusions_seniors_and_pins(
    request: FormationRequest,
) -> None:
    check_rules(request, formed(request))


@QUICK
@given(requests(pins=False))
def test_cp_sat_is_never_worse_than_the_greedy_baseline(request: FormationRequest) -> None:
    greedy = formed(request, baseline=True)
    check_rules(request, greedy)
    best = formed(request)
    assert (best.isolated, -best.objective) <= (greedy.isolated, -greedy.objective)
    if not any(a.balance for a in request.applicants):
        assert best.objective >= greedy.objective


@QUICK
@given(requests(pins=False, seniors=False), st.data())
def test_pinned_people_stay_put_when_re_optimising(
    request: FormationRequest, data: st.DataObject
) -> None:
    first = formed(request)
    chosen = data.draw(st.lists(st.sampled_from(list(range(len(first.groups)))), max_size=2))
    pinned = {first.groups[g][0]: (g + 1) % len(first.groups) for g in set(chosen)}
    again = FormationRequest(request.applicants, request.min_size, request.max_size, pinned=pinned,
                             seconds=SECONDS)  # fmt: skip
    check_rules(again, formed(again))


# --- Planted instances: no isolation where none is needed, and the known optimum ------------


def group_slots(g: int) -> frozenset[str]:
    day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][g % 7]
    return frozenset({f"{day}{6 + g // 7:02d}", f"{day}{18 + g // 7:02d}"})


def planted(
    groups: int, size: int, seed: int, *, seniors: bool = False
) -> tuple[list[Applicant], int]:
    """Groups with disjoint interests and slots and distinct departments, nobody isolated.

    With ``seniors``, each group has one, and everyone excludes someone of the next group.
    """
    rng = random.Random(seed)
    applicants: list[Applicant] = []
    for g in range(groups):
        genders = ["woman", "woman", "man", "man", *rng.choices(["woman", "man"], k=size - 4)]
        urim = ["yes", "yes", *["no"] * (size - 2)] if g % 2 else ["no"] * size
        for m in range(size):
            other = f"g{(g + 1) % groups}m{rng.randrange(size)}"
            applicants.append(
                person(
                    f"g{g}m{m}",
                    senior=seniors and m == 0,
                    department=f"dept {m}",
                    interests=frozenset({f"topic {g}a", f"topic {g}b"}),
                    availability=group_slots(g),
                    exclude=frozenset({other} if seniors else ()),
                    balance={"gender": genders[m], "urim": urim[m]},
                )
            )
    rng.shuffle(applicants)
    # Per group: 2 shared interests over C(size, 2) pairs, 2 slots × 2, size departments.
    return applicants, groups * (2 * math.comb(size, 2) + 4 + size)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(st.integers(2, 5), st.integers(4, 7), st.integers(0, 100), st.booleans())
def test_planted_instance_has_no_isolation_and_reaches_its_known_optimum(
    groups: int, size: int, seed: int, seniors: bool
) -> None:
    applicants, optimum = planted(groups, size, seed, seniors=seniors)
    request = FormationRequest(applicants, size - 1, size, seniors, seconds=2, seed=seed)
    result = form_groups(request)
    check_rules(request, result)
    assert result.isolated == 0
    assert result.objective == optimum == result.bound
    assert result.gap == 0


def test_large_programs_use_the_heuristic_with_a_cheap_bound() -> None:
    applicants, optimum = planted(EXACT_LIMIT // 6 + 2, 6, seed=7)
    request = FormationRequest(applicants, 5, 6, seconds=3)
    result = form_groups(request)
    check_rules(request, result)
    assert result.method == "heuristic+lns"
    assert result.bound == optimum
    assert result.isolated == 0
    assert result.objective >= 0.98 * optimum


def test_a_value_nobody_else_holds_is_reported_as_unavoidable() -> None:
    applicants, _ = planted(2, 4, seed=1)
    lone = Applicant(**{**applicants[0].__dict__, "balance": {"gender": "agender"}})
    result = form_groups(FormationRequest([lone, *applicants[1:]], 3, 4, seconds=1))
    assert result.isolated >= 1
    assert any("agender" in note for note in result.notes)


# --- Number of groups -----------------------------------------------------------------------


def crowd(n: int, seniors: int = 0) -> list[Applicant]:
    return [person(f"p{i}", senior=i < seniors) for i in range(n)]


def test_the_fewest_groups_are_formed_unless_seniors_or_pins_say_otherwise() -> None:
    assert group_count(FormationRequest(crowd(40), 5, 8)) == 5
    assert group_count(FormationRequest(crowd(40, seniors=7), 5, 8, senior_per_group=True)) == 7
    assert group_count(FormationRequest(crowd(40), 5, 8, pinned={"p0": 6})) == 7
    assert group_count(FormationRequest(crowd(40), 5, 8, groups=6)) == 6


# --- Infeasible requests say which rule fails -----------------------------------------------


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (FormationRequest([], 5, 8), "no applicants"),
        (FormationRequest(crowd(3), 5, 8), "too few applicants: 3 cannot fill one group of"),
        (FormationRequest(crowd(9), 5, 8), "9 applicants cannot be split into groups of 5–8"),
        (FormationRequest(crowd(20), 6, 4), "not a range"),
        (FormationRequest(crowd(40, seniors=3), 5, 8, senior_per_group=True),
         "too few seniors for one per group: 3 seniors, but 40 applicants in groups of at most 8 "
         "need at least 5 groups"),
        (FormationRequest(crowd(40, seniors=12), 5, 8, senior_per_group=True),
         "too many seniors for exactly one per group"),
        (FormationRequest(crowd(40), 5, 8, pinned={"p1": 9}), "pinned to group 9"),
        (FormationRequest(crowd(40), 5, 8, pinned={"nobody": 0}), "'nobody' is not an applicant"),
        (FormationRequest(crowd(40), 5, 8, pinned={"p1": -1}), "groups count from 0"),
        (FormationRequest(crowd(40, seniors=7), 5, 8, senior_per_group=True, groups=6),
         "6 groups need 6 seniors and there are 7"),
    ],
)  # fmt: skip
def test_impossible_sizes_seniors_and_pins_are_refused(
    request_: FormationRequest, message: str
) -> None:
    with pytest.raises(FormationError, match=message):
        form_groups(request_)


def with_exclusions(n: int, pairs: Sequence[tuple[int, int]], seniors: int = 0) -> list[Applicant]:
    excluded: dict[int, set[str]] = {}
    for a, b in pairs:
        excluded.setdefault(a, set()).add(f"p{b}")
    return [
        person(f"p{i}", senior=i < seniors, exclude=frozenset(excluded.get(i, ())))
        for i in range(n)
    ]


def test_duplicate_ids_and_unknown_or_self_exclusions_are_refused() -> None:
    with pytest.raises(FormationError, match="'p1' appears more than once"):
        form_groups(FormationRequest([*crowd(10), person("p1")], 2, 4))
    with pytest.raises(FormationError, match="excludes 'ghost', not an applicant"):
        form_groups(FormationRequest([person("a", exclude=frozenset({"ghost"})), *crowd(5)], 2, 4))
    with pytest.raises(FormationError, match="'p0' excludes themself"):
        form_groups(FormationRequest(with_exclusions(6, [(0, 0)]), 2, 3))


def test_people_who_all_exclude_each_other_need_more_groups_than_there_are() -> None:
    triangle = [(0, 1), (1, 2), (2, 0)]
    with pytest.raises(FormationError, match="'p0', 'p1', 'p2' must all be in different groups"):
        form_groups(FormationRequest(with_exclusions(8, triangle), 4, 4))


def test_someone_who_excludes_nearly_everyone_cannot_join_any_group() -> None:
    pairs = [(0, j) for j in range(1, 9)]
    with pytest.raises(FormationError, match="'p0' must not share a group with 8 of the other 9"):
        form_groups(FormationRequest(with_exclusions(10, pairs), 5, 5))


def test_pinned_people_who_exclude_each_other_cannot_share_a_group() -> None:
    request = FormationRequest(with_exclusions(8, [(0, 1)]), 4, 4, pinned={"p0": 1, "p1": 1})
    with pytest.raises(FormationError, match="'p0' and 'p1' are pinned to group 1"):
        form_groups(request)


def test_a_junior_who_excludes_every_senior_cannot_be_placed() -> None:
    request = FormationRequest(with_exclusions(8, [(5, 0), (5, 1)], seniors=2), 4, 4, True)
    with pytest.raises(FormationError, match="'p5' must not share a group with any senior"):
        form_groups(request)


def test_an_odd_cycle_of_exclusions_in_two_groups_is_proved_impossible() -> None:
    # Five people in a ring of exclusions need three groups; no three of them form a triangle,
    # so only the exact model can tell.
    ring = [(i, (i + 1) % 5) for i in range(5)]
    request = FormationRequest(with_exclusions(10, ring), 5, 5, seconds=5)
    with pytest.raises(FormationError, match="no grouping into 2 groups meets all the rules"):
        form_groups(request)


def test_greedy_baseline_respects_the_rules_and_ignores_balance() -> None:
    applicants, optimum = planted(3, 5, seed=3)
    request = FormationRequest(applicants, 4, 5, seconds=1)
    result = greedy_baseline(request)
    check_rules(request, result)
    assert result.method == "greedy"
    assert result.objective <= optimum
    assert Counter(map(len, result.groups)) == Counter({5: 3})
