"""Form many peer mentoring groups at once, fairly and explainably: applicants in, groups out."""

# The paper's program had one group; its "exclusivity" and "diverse and competing interests"
# problems are answered by open enrolment into many groups, formed here. Pure: no Django.
#
# Rules (hard): every group has min_size..max_size members; optionally exactly one senior per
# group; people who exclude each other (either side may say so) never share a group; pins hold.
# Balance (lexicographically first): nobody is the only holder, in their group, of a value of a
# balance column (e.g. gender, under-represented in medicine). Every value counts except
# undisclosed ones (empty, "prefer not to say" and the like, see UNDISCLOSED); a value held by a
# single applicant in the whole program cannot be helped and is reported in the notes.
# Score (then maximised): per group, the interests shared over all pairs of members, plus 2 per
# weekly slot in which every member is free, plus the number of distinct departments. Interests,
# departments and balance values compare case-insensitively; an empty department is not counted.
#
# Number of groups: `groups` when given; with one senior per group, the number of seniors;
# otherwise ceil(n / max_size), the fewest groups, so each group is as large as allowed (more
# peers per group, and the shared-interest term grows with group size), raised if a pin names a
# higher group. It must lie between ceil(n / max_size) and floor(n / min_size).
#
# Method: a seed-and-grow construction plus local search (moves and swaps, formation_search.py),
# compared with the CATME-style greedy baseline, warm-starts CP-SAT (formation_cpsat.py). Up to
# EXACT_LIMIT applicants the whole model goes to CP-SAT, which returns a bound (and may prove
# optimality); above it CP-SAT re-solves a few related groups at a time (large-neighbourhood
# search) and the bound is the cheap one below. Whatever reaches the cheap bound stops early.
#
# Cheap bound (valid for any grouping, isolation ignored): the sum of three separate bounds.
# Pairs: the smaller of (a) half the sum, over people, of the interests they share with their
# max_size - 1 best-matching others, and (b) per interest held by N people, the pairs obtained by
# packing holders into full groups (⌊N/max⌋·C(max,2) + C(N mod max, 2), at most k full groups).
# Slots: the smaller of (a) Σ_g a[g·min_size], with a the availability counts sorted descending
# (the g groups with the most common slots hold g·min_size people, each free at least that
# often), and (b) Σ over slots of min(k, ⌊free people / min_size⌋). Departments: Σ over
# departments of min(people, k).

from __future__ import annotations

import math
import os
import random
import time
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from peermentor.programs.formation_cpsat import avoidable_isolation, lns, score_bound, solve_cpsat
from peermentor.programs.formation_search import (
    Instance,
    State,
    better,
    construct,
    improve,
    match_seniors,
    targets,
)

ApplicantId = Hashable
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UNDISCLOSED = frozenset(
    {"", "prefer not to say", "prefer not to answer", "not disclosed", "undisclosed", "unknown"}
)
EXACT_LIMIT = 120  # applicants; above this the full CP-SAT model is too big to help in seconds
HEURISTIC_SHARE = 0.3  # of the time, at most, before CP-SAT takes over the whole model
LARGE_HEURISTIC_SHARE = 0.7  # of the time, at most, before LNS starts (above EXACT_LIMIT)
WRAP_UP = 0.02  # of the time, kept for writing the explanations
_WORD = 0xFFFF_FFFF_FFFF_FFFF


class FormationError(ValueError):
    """The groups cannot be formed; the message says which rule cannot be met."""


@dataclass(frozen=True)
class Applicant:
    """One person applying to join a group, with what the score and the rules look at."""

    id: ApplicantId
    senior: bool = False
    department: str = ""
    interests: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()  # weekly hour slots such as "Tue07"
    exclude: frozenset[ApplicantId] = frozenset()  # must not share a group with these
    balance: Mapping[str, str] = field(default_factory=dict)  # column -> value, e.g. gender


@dataclass(frozen=True)
class FormationRequest:
    """What to form: applicants, group sizes, rules, a time limit, pins and a random seed."""

    applicants: Sequence[Applicant]
    min_size: int = 5
    max_size: int = 8
    senior_per_group: bool = False
    seconds: float = 10.0
    pinned: Mapping[ApplicantId, int] = field(default_factory=dict)  # id -> group index
    seed: int = 0
    groups: int | None = None  # number of groups; None chooses (see the module notes)


@dataclass(frozen=True)
class ScoreBreakdown:
    """A group's score in its three parts."""

    shared_interests: int  # summed over pairs of members
    common_slots: int
    slot_points: int  # 2 per common slot
    departments: int
    total: int


@dataclass(frozen=True)
class GroupExplanation:
    """Why a group is proposed, as plain data."""

    members: tuple[ApplicantId, ...]
    seniors: tuple[ApplicantId, ...]
    score: ScoreBreakdown
    shared_interests: dict[str, int]  # interest -> members holding it, when two or more do
    common_slots: tuple[str, ...]
    departments: dict[str, int]
    balance: dict[str, dict[str, int]]  # column -> value -> members
    isolated: tuple[tuple[str, str], ...]  # (column, value) held by exactly one member


@dataclass(frozen=True)
class FormationResult:
    """Proposed groups with their objective, bound and gap, and the reasons for each group."""

    groups: list[list[ApplicantId]]
    objective: int
    lowest_group_score: int
    bound: int | None  # no grouping at least as balanced scores more
    gap: float | None  # (bound - objective) / bound
    isolated: int  # members who are the only holder of a balanced value in their group
    seconds: float
    method: str  # cp-sat-optimal, cp-sat, heuristic, heuristic+lns or greedy
    explanations: list[GroupExplanation]
    notes: tuple[str, ...] = ()


# --- Scoring and explanations ---------------------------------------------------------------


def normalise(text: str) -> str:
    """Text compared case-insensitively with runs of spaces, hyphens and underscores as one."""
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


def is_balanced(value: str) -> bool:
    """Whether a balance value takes part in the no-isolation rule (undisclosed ones do not)."""
    return normalise(value) not in UNDISCLOSED


def slot_key(slot: str) -> tuple[int, str]:
    """Sort weekly slots by weekday, then hour; unknown names go last in text order."""
    day = slot[:3].title()
    return (WEEKDAYS.index(day), slot[3:]) if day in WEEKDAYS else (len(WEEKDAYS), slot)


def score_breakdown(members: Sequence[Applicant]) -> ScoreBreakdown:
    """The score of a group of applicants, part by part."""
    if not members:
        return ScoreBreakdown(0, 0, 0, 0, 0)
    interests = [_interests(a) for a in members]
    pairs = sum(
        len(interests[a] & interests[b])
        for a in range(len(members))
        for b in range(a + 1, len(members))
    )
    common = len(_common_slots(members))
    depts = len({normalise(a.department) for a in members} - {""})
    return ScoreBreakdown(pairs, common, 2 * common, depts, pairs + 2 * common + depts)


def group_score(members: Sequence[Applicant]) -> int:
    """Σ shared interests over pairs + 2 × slots where all are free + distinct departments."""
    return score_breakdown(members).total


def explain_group(members: Sequence[Applicant]) -> GroupExplanation:
    """Shared interests, common slots, departments, balance and the score of one group."""
    spelled = _spellings(t for a in members for t in a.interests)
    held = Counter(t for a in members for t in _interests(a))
    shared = {spelled[t]: c for t, c in sorted(held.items(), key=lambda x: (-x[1], x[0])) if c > 1}
    slots = _common_slots(members)
    dept_names = _spellings(a.department for a in members)
    depts = Counter(dept_names[normalise(a.department)] for a in members if a.department.strip())
    balance, isolated = _balance(members)
    return GroupExplanation(
        members=tuple(a.id for a in members),
        seniors=tuple(a.id for a in members if a.senior),
        score=score_breakdown(members),
        shared_interests=shared,
        common_slots=tuple(sorted(slots, key=slot_key)),
        departments=dict(sorted(depts.items())),
        balance=balance,
        isolated=isolated,
    )


def _common_slots(members: Sequence[Applicant]) -> frozenset[str]:
    if not members:
        return frozenset()
    return frozenset.intersection(*(_slots(a) for a in members))


def _interests(a: Applicant) -> set[str]:
    return {normalise(t) for t in a.interests} - {""}


def _slots(a: Applicant) -> frozenset[str]:
    return frozenset(s.strip() for s in a.availability) - {""}


def _spellings(texts: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in texts:
        out.setdefault(normalise(text), text.strip())
    return out


def _balance(
    members: Sequence[Applicant],
) -> tuple[dict[str, dict[str, int]], tuple[tuple[str, str], ...]]:
    balance: dict[str, Counter[str]] = {}
    for a in members:
        for column, value in a.balance.items():
            balance.setdefault(column, Counter())[normalise(value)] += 1
    isolated = tuple(
        (column, value)
        for column, counts in sorted(balance.items())
        for value, count in sorted(counts.items())
        if count == 1 and is_balanced(value)
    )
    return {c: dict(sorted(v.items())) for c, v in sorted(balance.items())}, isolated


# --- Checking the request -------------------------------------------------------------------


def _check(request: FormationRequest) -> dict[ApplicantId, int]:
    applicants, low, high = request.applicants, request.min_size, request.max_size
    if not applicants:
        raise FormationError("there are no applicants to form groups from")
    if low < 1 or high < low:
        raise FormationError(f"group sizes {low}–{high} are not a range of at least 1 person")
    index: dict[ApplicantId, int] = {}
    for a in applicants:
        if a.id in index:
            raise FormationError(f"applicant {a.id!r} appears more than once")
        index[a.id] = len(index)
    for a in applicants:
        for other in a.exclude:
            if other == a.id:
                raise FormationError(f"applicant {a.id!r} excludes themself")
            if other not in index:
                raise FormationError(f"applicant {a.id!r} excludes {other!r}, not an applicant")
    for pid, g in request.pinned.items():
        if pid not in index:
            raise FormationError(f"pinned applicant {pid!r} is not an applicant")
        if not isinstance(g, int) or g < 0:
            raise FormationError(f"applicant {pid!r} is pinned to group {g!r}: groups count from 0")
    if len(applicants) < low:
        raise FormationError(
            f"too few applicants: {len(applicants)} cannot fill one group of at least {low}"
        )
    return index


def group_count(request: FormationRequest) -> int:
    """The number of groups to form (see the module notes), or FormationError if none works."""
    n, low, high = len(request.applicants), request.min_size, request.max_size
    fewest, most = math.ceil(n / high), n // low
    if fewest > most:
        raise FormationError(
            f"{n} applicants cannot be split into groups of {low}–{high}: {fewest} groups "
            f"need at least {fewest * low} people and {fewest - 1} hold at most "
            f"{(fewest - 1) * high}"
        )
    seniors = sum(1 for a in request.applicants if a.senior)
    if request.groups is not None:
        k = request.groups
        if not fewest <= k <= most:
            raise FormationError(f"{k} groups of {low}–{high} cannot hold {n} applicants")
    elif request.senior_per_group:
        k = _senior_count(seniors, n, low, high, fewest, most)
    else:
        k = min(max(fewest, max(request.pinned.values(), default=-1) + 1), most)
    if request.senior_per_group and seniors != k:
        raise FormationError(
            f"one senior per group: {k} groups need {k} seniors and there are {seniors}"
        )
    for pid, g in request.pinned.items():
        if g >= k:
            raise FormationError(
                f"applicant {pid!r} is pinned to group {g}, but there are {k} groups "
                f"(0–{k - 1}); {n} applicants make {fewest}–{most} groups of {low}–{high}"
            )
    return k


def _senior_count(seniors: int, n: int, low: int, high: int, fewest: int, most: int) -> int:
    if seniors < fewest:
        raise FormationError(
            f"too few seniors for one per group: {seniors} seniors, but {n} applicants in "
            f"groups of at most {high} need at least {fewest} groups"
        )
    if seniors > most:
        raise FormationError(
            f"too many seniors for exactly one per group: {seniors} seniors need {seniors} "
            f"groups, but {n} applicants make at most {most} groups of at least {low}"
        )
    return seniors


def _check_pins(request: FormationRequest, inst: Instance, ids: Sequence[ApplicantId]) -> None:
    by_group: dict[int, list[int]] = {}
    for i, g in inst.pinned.items():
        by_group.setdefault(g, []).append(i)
    for g, pinned in sorted(by_group.items()):
        senior_place = inst.senior_rule and not any(inst.senior[i] for i in pinned)
        if len(pinned) > inst.max_size - senior_place:
            raise FormationError(
                f"{len(pinned)} applicants are pinned to group {g}, more than the "
                f"{inst.max_size - senior_place} places it has"
                + (" beside its senior" if senior_place else "")
            )
        for i in pinned:
            for j in pinned:
                if i < j and j in inst.excl[i]:
                    raise FormationError(
                        f"applicants {ids[i]!r} and {ids[j]!r} are pinned to group {g} "
                        "but must not share a group"
                    )
        seniors = [ids[i] for i in pinned if inst.senior[i]]
        if inst.senior_rule and len(seniors) > 1:
            raise FormationError(
                f"seniors {', '.join(map(repr, seniors))} are all pinned to group {g}, "
                "but each group has exactly one senior"
            )
    fixed = [len(by_group.get(g, [])) for g in range(inst.k)]
    if targets(inst, fixed) is None:
        raise FormationError(
            f"the pins leave too few applicants for all {inst.k} groups to reach {inst.min_size}"
        )


def _check_exclusions(inst: Instance, ids: Sequence[ApplicantId]) -> None:
    for i in range(inst.n):
        if inst.n - 1 - len(inst.excl[i]) < inst.min_size - 1:
            raise FormationError(
                f"applicant {ids[i]!r} must not share a group with {len(inst.excl[i])} of the "
                f"other {inst.n - 1}, so no group of at least {inst.min_size} can take them"
            )
    clique = _exclusion_clique(inst)
    if len(clique) > inst.k:
        names = ", ".join(repr(ids[i]) for i in clique)
        raise FormationError(
            f"applicants {names} must all be in different groups, but there "
            + ("is only 1 group" if inst.k == 1 else f"are only {inst.k} groups")
        )
    if inst.senior_rule and match_seniors(inst) is None:
        raise FormationError(
            "one senior per group cannot be met: exclusions or pins leave some group "
            "without a senior who may join it"
        )
    seniors = {j for j in range(inst.n) if inst.senior[j]}
    for i in range(inst.n):
        if inst.senior_rule and not inst.senior[i] and seniors <= inst.excl[i]:
            raise FormationError(
                f"applicant {ids[i]!r} must not share a group with any senior, but every "
                "group has one"
            )


def _exclusion_clique(inst: Instance) -> list[int]:
    # Greedy: a clique found is proof; a larger one may exist and is then caught by the search.
    best: list[int] = []
    for i in sorted(range(inst.n), key=lambda i: -len(inst.excl[i]))[:50]:
        clique = [i]
        for j in sorted(inst.excl[i], key=lambda j: -len(inst.excl[j])):
            if all(j in inst.excl[c] for c in clique):
                clique.append(j)
        best = max(best, clique, key=len)
    return best


# --- Compiling the request -------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    inst: Instance
    applicants: Sequence[Applicant]
    ids: list[ApplicantId]
    notes: tuple[str, ...]


def _prepare(request: FormationRequest) -> _Prepared:
    index = _check(request)
    k = group_count(request)
    applicants = request.applicants
    interests = _bits(t for a in applicants for t in _interests(a))
    slots = _bits(s for a in applicants for s in _slots(a))
    depts = _bits(normalise(a.department) for a in applicants if a.department.strip())
    cats, notes = _categories(applicants)
    excl: list[set[int]] = [set() for _ in applicants]
    for i, a in enumerate(applicants):
        for other in a.exclude:
            excl[i].add(index[other])
            excl[index[other]].add(i)
    inst = Instance(
        k=k,
        min_size=request.min_size,
        max_size=request.max_size,
        senior_rule=request.senior_per_group,
        interests=tuple(_mask(interests, _interests(a)) for a in applicants),
        avail=tuple(_mask(slots, _slots(a)) for a in applicants),
        dept=tuple(depts.get(normalise(a.department), -1) for a in applicants),
        senior=tuple(a.senior for a in applicants),
        excl=tuple(frozenset(e) for e in excl),
        cats=cats,
        n_interests=len(interests),
        n_slots=len(slots),
        pinned={index[pid]: g for pid, g in request.pinned.items()},
    )
    ids = [a.id for a in applicants]
    _check_pins(request, inst, ids)
    _check_exclusions(inst, ids)
    return _Prepared(inst, applicants, ids, notes)


def _bits(values: Iterable[str]) -> dict[str, int]:
    return {v: b for b, v in enumerate(sorted(set(values)))}


def _mask(bits: Mapping[str, int], values: Iterable[str]) -> int:
    return sum(1 << bits[v] for v in values)


def _categories(
    applicants: Sequence[Applicant],
) -> tuple[tuple[tuple[int, ...], ...], tuple[str, ...]]:
    keys = [
        sorted((c, normalise(v)) for c, v in a.balance.items() if is_balanced(v))
        for a in applicants
    ]
    holders = Counter(key for row in keys for key in row)
    ids = {key: n for n, key in enumerate(sorted(holders))}
    spelled = _spellings(v for a in applicants for v in a.balance.values())
    notes = tuple(
        f"only one applicant has {column} '{spelled[value]}': no group can give them a peer "
        "with that value, so they count as isolated whatever the grouping"
        for (column, value), count in sorted(holders.items())
        if count == 1
    )
    return tuple(tuple(ids[key] for key in row) for row in keys), notes


def cheap_bound(inst: Instance) -> int:
    """An upper bound on the total score of any grouping (see the module notes)."""
    return score_bound(inst, range(inst.n), inst.k)


# --- Forming groups -------------------------------------------------------------------------


def form_groups(request: FormationRequest) -> FormationResult:
    """Form the groups: no isolation where it can be avoided, then the highest total score."""
    started = time.monotonic()
    deadline = started + request.seconds * (1 - WRAP_UP)
    prepared = _prepare(request)
    inst = prepared.inst
    rng = random.Random(request.seed)  # noqa: S311 - a reproducible search, not a secret
    bound = cheap_bound(inst)
    share = HEURISTIC_SHARE if inst.n <= EXACT_LIMIT else LARGE_HEURISTIC_SHARE
    state = _start(inst, rng, started + share * request.seconds)
    if inst.n <= EXACT_LIMIT:
        state, method, bound = _exact(inst, state, deadline, bound, request)
    elif state is None:
        raise FormationError(_no_grouping(inst, request.seconds))
    else:
        lns(state, rng, deadline, weight=bound + 1, target=bound)
        method = "heuristic+lns"
    return _result(prepared, state, bound, method, started)


def greedy_baseline(request: FormationRequest) -> FormationResult:
    """The CATME Team-Maker style baseline: each person, in turn, joins the group gaining most."""
    started = time.monotonic()
    prepared = _prepare(request)
    assignment = greedy_assign(prepared.inst)
    if assignment is None:
        raise FormationError(
            "the greedy baseline got stuck: some applicant could not join any group without "
            "breaking an exclusion, the senior rule or the sizes"
        )
    state = State(prepared.inst, assignment)
    return _result(prepared, state, cheap_bound(prepared.inst), "greedy", started)


def greedy_assign(inst: Instance) -> list[int] | None:
    """CATME-style: in the given order, each person joins the open group they add most to."""
    n, k = inst.n, inst.k
    group_of = np.full(n, -1, dtype=np.int64)
    sizes = np.zeros(k, dtype=np.int64)
    common = np.full((k, inst.avail_words.shape[1]), _WORD, dtype=np.uint64)
    depts = np.zeros((k, int(inst.dept_index.max()) + 1), dtype=np.int64)
    has_senior = np.zeros(k, dtype=bool)
    order = list(inst.pinned)
    order += [i for i in range(n) if inst.senior_rule and inst.senior[i] and i not in inst.pinned]
    first = set(order)
    order += [i for i in range(n) if i not in first]
    for left, p in zip(range(n, 0, -1), order, strict=True):
        g = inst.pinned.get(p)
        if g is None:
            g = _greedy_choice(inst, p, left, group_of, sizes, common, depts, has_senior)
            if g is None:
                return None
        group_of[p], sizes[g] = g, sizes[g] + 1
        common[g] &= inst.avail_words[p]
        depts[g, inst.dept_index[p]] += 1
        has_senior[g] |= inst.senior[p]
    return [int(g) for g in group_of]


def _greedy_choice(
    inst: Instance,
    p: int,
    left: int,
    group_of: np.ndarray,
    sizes: np.ndarray,
    common: np.ndarray,
    depts: np.ndarray,
    has_senior: np.ndarray,
) -> int | None:
    placed = group_of >= 0
    pairs = np.bincount(group_of[placed], weights=inst.pair_row(p)[placed], minlength=inst.k)
    before = np.bitwise_count(common).sum(axis=1, dtype=np.int64)
    after = np.bitwise_count(common & inst.avail_words[p]).sum(axis=1, dtype=np.int64)
    new_dept = (depts[:, inst.dept_index[p]] == 0) & (inst.dept[p] >= 0)
    gain = pairs + 2 * (after - before) + new_dept
    ok = sizes < inst.max_size
    for q in inst.excl[p]:
        if group_of[q] >= 0:
            ok[group_of[q]] = False
    if inst.senior_rule and inst.senior[p]:
        ok &= ~has_senior
    if left <= np.maximum(inst.min_size - sizes, 0).sum():
        ok &= sizes < inst.min_size
    if not ok.any():
        return None
    return int(np.argmax(np.where(ok, gain, -np.inf)))


def _start(inst: Instance, rng: random.Random, deadline: float) -> State | None:
    found: list[State] = []
    grown = construct(inst, rng)
    if grown is not None:
        found.append(State(inst, grown))
        improve(found[0], rng, deadline)
    greedy = greedy_assign(inst)
    if greedy is not None:
        found.append(State(inst, greedy))
    best = None
    for state in found:
        if best is None or better(state.key(), best.key()):
            best = state
    return best


def _exact(
    inst: Instance, state: State | None, deadline: float, bound: int, request: FormationRequest
) -> tuple[State, str, int]:
    everyone, groups = range(inst.n), range(inst.k)
    hard = state is not None and avoidable_isolation(inst, everyone, state.group_of) == 0
    if hard and state is not None and sum(state.scores) >= bound:
        return state, "heuristic", bound  # it meets the cheap bound: optimal already
    solved = solve_cpsat(
        inst, everyone, groups, None if state is None else dict(enumerate(state.group_of)),
        deadline=deadline, hard=hard, workers=_workers(), seed=request.seed, weight=bound + 1,
    )  # fmt: skip
    if solved.bound is not None:
        bound = min(bound, solved.bound)
    if solved.assignment is None:
        if state is None and solved.status == "infeasible":
            raise FormationError(_infeasible(inst))
        if state is None:
            raise FormationError(_no_grouping(inst, request.seconds))
        return state, "heuristic", bound
    found = State(inst, [solved.assignment[p] for p in everyone])
    if state is not None and better(state.key(), found.key()):
        return state, "heuristic", bound
    return found, "cp-sat-optimal" if solved.status == "optimal" else "cp-sat", bound


def _workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def _rules(inst: Instance) -> str:
    rules = [f"groups of {inst.min_size}–{inst.max_size}", "the exclusions"]
    if inst.pinned:
        rules.append("the pins")
    if inst.senior_rule:
        rules.append("one senior per group")
    return ", ".join(rules)


def _infeasible(inst: Instance) -> str:
    return f"no grouping into {inst.k} groups meets all the rules at once: {_rules(inst)}"


def _no_grouping(inst: Instance, seconds: float) -> str:
    return (
        f"no grouping into {inst.k} groups meeting {_rules(inst)} was found in {seconds:g} s; "
        "the exclusions may be too many to satisfy together"
    )


def _result(
    prepared: _Prepared, state: State, bound: int | None, method: str, started: float
) -> FormationResult:
    apps = prepared.applicants
    members = [sorted(ms) for ms in state.members]
    objective = sum(state.scores)
    gap = None if bound is None else (bound - objective) / bound if bound else 0.0
    return FormationResult(
        groups=[[prepared.ids[i] for i in ms] for ms in members],
        objective=objective,
        lowest_group_score=min(state.scores),
        bound=bound,
        gap=gap,
        isolated=sum(state.iso),
        seconds=time.monotonic() - started,
        method=method,
        explanations=[explain_group([apps[i] for i in ms]) for ms in members],
        notes=prepared.notes,
    )
