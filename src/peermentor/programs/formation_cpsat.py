"""CP-SAT for group formation: the exact model of all or a few groups, bounds, and LNS."""

# The model: x[p, g] puts person p in group g. Shared interests over pairs are counted per
# interest as C(holders in g, 2), with a unary count b[r] = "at least r + 1 holders", so the
# quadratic pair term needs no pair variables. z[s, g]: everyone in g is free in slot s.
# y[d, g]: department d is in g. Balance: each group holds none or at least two of every
# balanced value (hard when the warm start proves that possible, else a penalty that outweighs
# any score). The cheap bound (formation.py explains it) caps the score, so a solution that
# reaches it is proved optimal at once.

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from peermentor.programs.formation_search import Instance, State, better, improve


@dataclass
class Solved:
    """What one CP-SAT run found: status, the new groups of its people, and a score bound."""

    status: str  # optimal, feasible, infeasible or unknown
    assignment: dict[int, int] | None
    bound: int | None  # on the score of its groups, for groupings no worse on isolation


class _Model:
    """The exact model of some people and groups: Σ C(holders of t, 2) counts shared interests."""

    def __init__(
        self, inst: Instance, persons: Sequence[int], groups: Sequence[int], hard: bool
    ) -> None:
        self.inst, self.persons, self.groups, self.hard = inst, persons, groups, hard
        self.m = cp_model.CpModel()
        self.x = {(p, g): self.m.new_bool_var("") for p in persons for g in groups}
        self.objective: list[tuple[cp_model.IntVar, int]] = []
        self.penalties: list[cp_model.IntVar] = []
        self.derived: list[tuple[cp_model.IntVar, str, Sequence[int], int, int]] = []
        self._assignment_rules()
        self._symmetry()
        self._score_terms()
        self._isolation()

    def _assignment_rules(self) -> None:
        inst, m, x = self.inst, self.m, self.x
        for p in self.persons:
            m.add_exactly_one(x[p, g] for g in self.groups)
            if p in inst.pinned:
                m.add(x[p, inst.pinned[p]] == 1)
        inside = set(self.persons)
        for g in self.groups:
            size = sum(x[p, g] for p in self.persons)
            m.add_linear_constraint(size, inst.min_size, inst.max_size)
            if inst.senior_rule:
                m.add(sum(x[p, g] for p in self.persons if inst.senior[p]) == 1)
            for p in self.persons:
                for q in inst.excl[p]:
                    if p < q and q in inside:
                        m.add_bool_or([~x[p, g], ~x[q, g]])

    def free_groups(self) -> list[int]:
        """Groups with no pinned member: interchangeable, so their order can be fixed."""
        pinned = {self.inst.pinned[p] for p in self.persons if p in self.inst.pinned}
        return [g for g in self.groups if g not in pinned]

    def _symmetry(self) -> None:
        # The r-th unpinned person can only be in the first r + 1 free groups when free groups
        # are ordered by their first unpinned member.
        free = self.free_groups()
        unpinned = [p for p in self.persons if p not in self.inst.pinned]
        for r, p in enumerate(unpinned):
            for g in free[r + 1 :]:
                self.m.add(self.x[p, g] == 0)

    def _score_terms(self) -> None:
        inst = self.inst
        for holders in _holders(self.persons, inst.interests, inst.n_interests):
            if len(holders) >= 2:
                for g in self.groups:
                    self.objective += self._pair_count(holders, g)
        self._pair_cut()
        for holders in _holders(self.persons, inst.avail, inst.n_slots):
            if holders and len(holders) >= inst.min_size:
                self._slot_terms(holders)
        for dept, holders in _by_dept(inst, self.persons).items():
            if dept >= 0:
                for g in self.groups:
                    y = self.m.new_bool_var("")
                    self.m.add_bool_or([self.x[p, g] for p in holders]).only_enforce_if(y)
                    self.objective.append((y, 1))
                    self.derived.append((y, "any", holders, g, 0))
        self._group_cuts()

    def _slot_terms(self, holders: Sequence[int]) -> None:
        # z: everyone in g is free in this slot. Besides the clauses, linear forms of the same
        # facts tighten the relaxation: nobody away, at least min_size free members, and no
        # more such groups than the free people can fill.
        inst, m, x = self.inst, self.m, self.x
        away = sorted(set(self.persons) - set(holders))
        zs = []
        for g in self.groups:
            z = m.new_bool_var("")
            m.add_bool_and([~x[p, g] for p in away]).only_enforce_if(z)
            m.add(sum(x[p, g] for p in away) + inst.max_size * z <= inst.max_size)
            m.add(inst.min_size * z <= sum(x[p, g] for p in holders))
            self.objective.append((z, 2))
            self.derived.append((z, "all", holders, g, 0))
            zs.append(z)
        m.add(sum(zs) <= len(holders) // inst.min_size)

    def _group_cuts(self) -> None:
        # Per group: common slots are at most the members' mean number of free slots, and
        # departments at most the members.
        inst, x = self.inst, self.x
        for g in self.groups:
            members = [x[p, g] for p in self.persons]
            slots = [v for v, kind, _, h, _ in self.derived if kind == "all" and h == g]
            free = [inst.avail[p].bit_count() for p in self.persons]
            if slots:
                self.m.add(
                    inst.min_size * sum(slots) <= cp_model.LinearExpr.weighted_sum(members, free)
                )
            depts = [v for v, kind, _, h, _ in self.derived if kind == "any" and h == g]
            if depts:
                self.m.add(sum(depts) <= sum(members))

    def _pair_count(self, holders: Sequence[int], g: int) -> list[tuple[cp_model.IntVar, int]]:
        # b[r] is "at least r + 1 holders in g"; C(c, 2) = sum over r of r * b[r].
        top = min(self.inst.max_size, len(holders))
        b = [self.m.new_bool_var("") for _ in range(top)]
        self.m.add(sum(b) == sum(self.x[p, g] for p in holders))
        for r in range(1, top):
            self.m.add_implication(b[r], b[r - 1])
            self.derived.append((b[r], "at least", holders, g, r + 1))
        self.derived.append((b[0], "at least", holders, g, 1))
        return [(b[r], r) for r in range(1, top)]

    def _pair_cut(self) -> None:
        # Twice the pairs term of a group is at most the sum of its members' best possible.
        per_group: dict[int, list[tuple[cp_model.IntVar, int]]] = {g: [] for g in self.groups}
        for var, kind, _, g, r in self.derived:
            if kind == "at least" and r >= 2:
                per_group[g].append((var, 2 * (r - 1)))
        for g, terms in per_group.items():
            if terms:
                lhs = cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])
                top = [self.inst.top[p] for p in self.persons]
                rhs = cp_model.LinearExpr.weighted_sum([self.x[p, g] for p in self.persons], top)
                self.m.add(lhs <= rhs)

    def _isolation(self) -> None:
        none_or_two = cp_model.Domain.from_intervals([[0, 0], [2, self.inst.max_size]])
        for holders in _category_holders(self.inst, self.persons):
            if len(holders) < 2:
                continue
            for g in self.groups:
                count = sum(self.x[p, g] for p in holders)
                rule = self.m.add_linear_expression_in_domain(count, none_or_two)
                if not self.hard:
                    v = self.m.new_bool_var("")
                    rule.only_enforce_if(~v)
                    self.penalties.append(v)
                    self.derived.append((v, "one", holders, g, 1))

    def hint(self, assignment: Mapping[int, int]) -> None:
        """Hint a full solution, with free groups relabelled to meet the symmetry rule."""
        assignment = self._canonical(assignment)
        sizes = Counter(assignment.values())
        for (p, g), var in self.x.items():
            self.m.add_hint(var, assignment[p] == g)
        for var, kind, holders, g, r in self.derived:
            count = sum(1 for p in holders if assignment[p] == g)
            value = {"all": count == sizes[g], "any": count > 0, "one": count == 1}
            self.m.add_hint(var, value.get(kind, count >= r))

    def _canonical(self, assignment: Mapping[int, int]) -> dict[int, int]:
        free = self.free_groups()
        first: dict[int, int] = {}
        for p in self.persons:
            g = assignment[p]
            if g in free and g not in first:
                first[g] = p
        order = sorted(free, key=lambda g: first.get(g, self.inst.n))
        relabel = dict(zip(order, free, strict=True))
        return {p: relabel.get(assignment[p], assignment[p]) for p in self.persons}

    def solve(self, seconds: float, workers: int, seed: int, weight: int, cap: int) -> Solved:
        """Maximise score minus weight per isolated member; read back groups and bound."""
        terms = [v for v, _ in self.objective], [c for _, c in self.objective]
        score = cp_model.LinearExpr.weighted_sum(*terms)
        self.m.add(score <= cap)  # the cheap bound, so reaching it proves optimality at once
        self.m.maximize(score - weight * sum(self.penalties))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        status = solver.solve(self.m)
        name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(status)
        if name is None:
            infeasible = status == cp_model.INFEASIBLE
            return Solved("infeasible" if infeasible else "unknown", None, None)
        found = {p: g for (p, g), var in self.x.items() if solver.boolean_value(var)}
        isolated = sum(solver.value(v) for v in self.penalties)
        bound = int(solver.best_objective_bound + 1e-6) + weight * isolated
        return Solved(name, found, bound)


def _holders(persons: Sequence[int], masks: Sequence[int], bits: int) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(bits)]
    for p in persons:
        mask = masks[p]
        while mask:
            low = mask & -mask
            out[low.bit_length() - 1].append(p)
            mask ^= low
    return out


def _by_dept(inst: Instance, persons: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for p in persons:
        out.setdefault(inst.dept[p], []).append(p)
    return out


def _category_holders(inst: Instance, persons: Sequence[int]) -> list[list[int]]:
    out: dict[int, list[int]] = {}
    for p in persons:
        for c in inst.cats[p]:
            out.setdefault(c, []).append(p)
    return list(out.values())


def solve_cpsat(
    inst: Instance,
    persons: Sequence[int],
    groups: Sequence[int],
    hint: Mapping[int, int] | None,
    *,
    deadline: float,
    hard: bool,
    workers: int,
    seed: int,
    weight: int,
) -> Solved:
    """Solve exactly the grouping of ``persons`` into ``groups`` (everyone, or an LNS window)."""
    model = _Model(inst, persons, groups, hard)
    if hint is not None:
        model.hint(hint)
    cap = score_bound(inst, persons, len(groups))
    return model.solve(deadline - time.monotonic(), workers, seed, weight, cap)


def avoidable_isolation(inst: Instance, persons: Sequence[int], group_of: Sequence[int]) -> int:
    """Isolated members whose value has another holder among ``persons`` (so could be avoided)."""
    holders = Counter(c for p in persons for c in inst.cats[p])
    counts = Counter((group_of[p], c) for p in persons for c in inst.cats[p])
    return sum(1 for (_, c), v in counts.items() if v == 1 and holders[c] >= 2)


def score_bound(inst: Instance, persons: Sequence[int], k: int) -> int:
    """An upper bound on the score of any k groups of these people (formation.py explains it)."""
    pairs = min(sum(inst.top[p] for p in persons) // 2, _interest_bound(inst, persons, k))
    return pairs + 2 * _slot_bound(inst, persons, k) + _dept_bound(inst, persons, k)


def _interest_bound(inst: Instance, persons: Sequence[int], k: int) -> int:
    full, total = inst.max_size * (inst.max_size - 1) // 2, 0
    for holders in _holders(persons, inst.interests, inst.n_interests):
        groups, rest = divmod(len(holders), inst.max_size)
        total += k * full if groups >= k else groups * full + rest * (rest - 1) // 2
    return total


def _slot_bound(inst: Instance, persons: Sequence[int], k: int) -> int:
    counts = sorted((inst.avail[p].bit_count() for p in persons), reverse=True)
    by_rank = sum(counts[g * inst.min_size - 1] for g in range(1, k + 1))
    free = _holders(persons, inst.avail, inst.n_slots)
    by_slot = sum(min(k, len(f) // inst.min_size) for f in free)
    return min(by_rank, by_slot)


def _dept_bound(inst: Instance, persons: Sequence[int], k: int) -> int:
    return sum(min(c, k) for d, c in Counter(inst.dept[p] for p in persons).items() if d >= 0)


# --- Large-neighbourhood search -------------------------------------------------------------


def lns(
    state: State,
    rng: random.Random,
    deadline: float,
    *,
    weight: int,
    target: int,
    window: int = 4,
    seconds: float = 0.3,
) -> int:
    """Re-solve a few related groups at a time with CP-SAT until time is up; returns windows."""
    inst, done, windows, stale = state.inst, set(), 0, 0
    while time.monotonic() + 0.02 < deadline and stale < 200 and sum(state.scores) < target:
        chosen = _window(state, rng, min(window, inst.k))
        key = frozenset((g, state.version[g]) for g in chosen)
        if key in done:
            stale += 1
            continue
        stale, windows = 0, windows + 1
        persons = sorted(p for g in chosen for p in state.members[g])
        before = _window_key(state, chosen)
        hard = avoidable_isolation(inst, persons, state.group_of) == 0
        if hard and before[1] >= score_bound(inst, persons, len(chosen)):
            done.add(key)
            continue
        found = solve_cpsat(
            inst, persons, chosen, {p: state.group_of[p] for p in persons},
            deadline=min(time.monotonic() + seconds, deadline), hard=hard, workers=1,
            seed=rng.randrange(1 << 30), weight=weight,
        )  # fmt: skip
        if found.assignment is None:
            continue
        trial = [[p for p in persons if found.assignment[p] == g] for g in chosen]
        after = (sum(map(inst.isolated, trial)), sum(map(inst.score, trial)))
        if better(after, before):
            state.regroup(found.assignment)
            improve(state, rng, deadline, queue=persons)
        elif found.status == "optimal":
            done.add(key)
    return windows


def _window_key(state: State, groups: Sequence[int]) -> tuple[int, int]:
    return sum(state.iso[g] for g in groups), sum(state.scores[g] for g in groups)


def _window(state: State, rng: random.Random, size: int) -> list[int]:
    inst = state.inst
    slack = [_slack(state, g) for g in range(inst.k)]
    seed = rng.choices(range(inst.k), weights=slack)[0]
    near: Counter[int] = Counter()
    for m in state.members[seed]:
        for j in inst.neighbours[m][:8]:
            near[state.group_of[j]] += 1
    near.pop(seed, None)
    ranked = sorted(near, key=lambda g: (-near[g], rng.random()))
    chosen = [seed, *ranked[: size - 1]]
    while len(chosen) < size:
        g = rng.randrange(inst.k)
        if g not in chosen:
            chosen.append(g)
    return chosen


def _slack(state: State, g: int) -> float:
    # How far a group is from a cheap bound on its own score, plus a lot for each isolation.
    inst, ms = state.inst, state.members[g]
    bound = sum(inst.top[m] for m in ms) // 2 + len(ms)
    bound += 2 * min(inst.avail[m].bit_count() for m in ms)
    return 1 + 20 * (bound - state.scores[g]) + 100 * state.iso[g]
