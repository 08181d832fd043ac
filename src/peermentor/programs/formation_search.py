"""The group-formation heuristic: seed-and-grow construction, then moves and swaps."""

# An Instance is the request compiled by formation.py: applicants as indices and bit masks, so
# that scoring a group is a handful of integer ANDs and popcounts. Everything here is
# lexicographic: fewer isolated members first, then a higher total score. The exact model and
# the large-neighbourhood search are in formation_cpsat.py.

from __future__ import annotations

import heapq
import random
import time
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

NEIGHBOURS = 16  # a person's candidate groups are those of their closest matches
_BLOCK = 128  # rows of the affinity matrix computed at once
_WORD = 0xFFFF_FFFF_FFFF_FFFF


@dataclass(frozen=True, eq=False)
class Instance:
    """Applicants as indices and bit masks, with the sizes and rules of one formation run."""

    k: int
    min_size: int
    max_size: int
    senior_rule: bool
    interests: tuple[int, ...]
    avail: tuple[int, ...]
    dept: tuple[int, ...]  # -1: not stated, never counted as a department
    senior: tuple[bool, ...]
    excl: tuple[frozenset[int], ...]
    cats: tuple[tuple[int, ...], ...]  # balanced category values each person holds
    n_interests: int
    n_slots: int
    pinned: Mapping[int, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """The number of applicants."""
        return len(self.interests)

    def score(self, members: Sequence[int]) -> int:
        """Shared interests over pairs, twice the common slots, plus distinct departments."""
        if not members:
            return 0
        it, pairs = self.interests, 0
        for a, i in enumerate(members):
            mask = it[i]
            for j in members[a + 1 :]:
                pairs += (mask & it[j]).bit_count()
        common = (1 << self.n_slots) - 1
        for i in members:
            common &= self.avail[i]
        depts = {self.dept[i] for i in members} - {-1}
        return pairs + 2 * common.bit_count() + len(depts)

    def isolated(self, members: Sequence[int]) -> int:
        """How many members are the only holder, in this group, of a balanced value."""
        counts = Counter(c for m in members for c in self.cats[m])
        return sum(1 for v in counts.values() if v == 1)

    def fits(self, p: int, members: Sequence[int], skip: int = -1) -> bool:
        """Whether p may join these members (leaving out ``skip``) without breaking an exclusion."""
        ex = self.excl[p]
        return not ex or not any(m in ex and m != skip for m in members)

    @cached_property
    def interest_words(self) -> np.ndarray:
        """Interest masks as a (n, words) array of 64-bit words."""
        return _words(self.interests, self.n_interests)

    @cached_property
    def avail_words(self) -> np.ndarray:
        """Availability masks as a (n, words) array of 64-bit words."""
        return _words(self.avail, self.n_slots)

    @cached_property
    def dept_index(self) -> np.ndarray:
        """Department per person, with 'not stated' mapped to one column past the last."""
        d = np.array(self.dept, dtype=np.int64)
        return np.where(d < 0, int(d.max(initial=0)) + 1, d)

    @cached_property
    def cat_matrix(self) -> np.ndarray:
        """Balanced values per person in a padded (n, columns) array; lone values are padding."""
        holders = Counter(c for row in self.cats for c in row)
        pad = max(holders, default=-1) + 1
        width = max((len(row) for row in self.cats), default=0) + 1  # the last is always padding
        out = np.full((self.n, width), pad, dtype=np.int64)
        for i, row in enumerate(self.cats):
            kept = [c for c in row if holders[c] >= 2]
            out[i, : len(kept)] = kept
        return out

    @cached_property
    def cat_holders(self) -> dict[int, list[int]]:
        """The holders of each balanced value."""
        out: dict[int, list[int]] = {}
        for i, row in enumerate(self.cats):
            for c in row:
                out.setdefault(c, []).append(i)
        return out

    @cached_property
    def senior_mask(self) -> np.ndarray:
        """Seniors as a boolean array."""
        return np.array(self.senior, dtype=bool)

    def pair_row(self, i: int) -> np.ndarray:
        """The number of interests person i shares with everyone."""
        shared = np.bitwise_count(self.interest_words & self.interest_words[i])
        row: np.ndarray = shared.sum(axis=1, dtype=np.int64)
        return row

    @cached_property
    def _affinity(self) -> tuple[list[int], list[list[int]]]:
        return _affinity(self)

    @property
    def top(self) -> list[int]:
        """Per person, the most shared interests they can have with max_size - 1 group mates."""
        return self._affinity[0]

    @property
    def neighbours(self) -> list[list[int]]:
        """Per person, the others sharing most interests (then slots) with them."""
        return self._affinity[1]


def _words(masks: Sequence[int], bits: int) -> np.ndarray:
    width = max(1, (bits + 63) // 64)
    out = np.zeros((len(masks), width), dtype=np.uint64)
    for i, mask in enumerate(masks):
        for w in range(width):
            out[i, w] = (mask >> (64 * w)) & _WORD
    return out


def _affinity(inst: Instance) -> tuple[list[int], list[list[int]]]:
    n, mates = inst.n, min(inst.max_size, inst.n) - 1
    iw, aw = inst.interest_words, inst.avail_words
    count = min(NEIGHBOURS, n - 1)
    top: list[int] = []
    near: list[list[int]] = []
    for start in range(0, n, _BLOCK):
        rows = np.arange(start, min(start + _BLOCK, n))
        shared = np.bitwise_count(iw[rows, None, :] & iw[None, :, :]).sum(axis=2, dtype=np.int64)
        slots = np.bitwise_count(aw[rows, None, :] & aw[None, :, :]).sum(axis=2, dtype=np.int64)
        local = np.arange(len(rows))
        shared[local, rows] = 0
        for r, i in zip(local, rows, strict=True):
            shared[r, list(inst.excl[i])] = 0
        if mates:
            top += np.partition(shared, n - mates, axis=1)[:, n - mates :].sum(axis=1).tolist()
        else:
            top += [0] * len(rows)
        aff = shared * 256 + slots
        aff[local, rows] = -1
        for r, i in zip(local, rows, strict=True):
            aff[r, list(inst.excl[i])] = -1
        best = np.argpartition(-aff, count - 1, axis=1)[:, :count] if count > 0 else None
        for r in local:
            near.append([] if best is None else [int(j) for j in best[r] if aff[r, j] >= 0])
    return top, near


# --- Construction ---------------------------------------------------------------------------


def targets(inst: Instance, fixed: Sequence[int]) -> list[int] | None:
    """Group sizes as even as possible, at least the fixed members of each group, or None."""
    sizes = [max(inst.min_size, c) for c in fixed]
    extra = inst.n - sum(sizes)
    if extra < 0 or any(s > inst.max_size for s in sizes):
        return None
    heap = [(s, g) for g, s in enumerate(sizes)]
    heapq.heapify(heap)
    for _ in range(extra):
        s, g = heapq.heappop(heap)
        if s >= inst.max_size:
            return None
        sizes[g] = s + 1
        heapq.heappush(heap, (s + 1, g))
    return sizes


def match_seniors(inst: Instance) -> dict[int, int] | None:
    """One senior per group (pins kept) with no exclusion against pinned members, or None."""
    pinned_members: dict[int, list[int]] = {g: [] for g in range(inst.k)}
    match: dict[int, int] = {}
    for i, g in inst.pinned.items():
        pinned_members[g].append(i)
        if inst.senior[i]:
            match[g] = i
    free = [i for i in range(inst.n) if inst.senior[i] and i not in inst.pinned]
    open_groups = sorted(
        (g for g in range(inst.k) if g not in match), key=lambda g: -len(pinned_members[g])
    )
    options = {s: [g for g in open_groups if inst.fits(s, pinned_members[g])] for s in free}
    for s in free:
        if not _augment(s, options, match, set()):
            return None
    return match


def _augment(s: int, options: dict[int, list[int]], match: dict[int, int], seen: set[int]) -> bool:
    # Kuhn's augmenting path, after trying an open group first so that paths stay short.
    for g in options[s]:
        if g not in match:
            match[g] = s
            return True
    for g in options[s]:
        if g in seen:
            continue
        seen.add(g)
        other = match.get(g)
        if other is None or (other in options and _augment(other, options, match, seen)):
            match[g] = s
            return True
    return False


def construct(inst: Instance, rng: random.Random) -> list[int] | None:
    """Seed and grow one group at a time by best gain, then repair leftovers; None if stuck."""
    members: list[list[int]] = [[] for _ in range(inst.k)]
    for i, g in inst.pinned.items():
        members[g].append(i)
    if inst.senior_rule:
        seniors = match_seniors(inst)
        if seniors is None:
            return None
        for g, s in seniors.items():
            if s not in inst.pinned:
                members[g].append(s)
    sizes = targets(inst, [len(ms) for ms in members])
    if sizes is None:
        return None
    free = np.ones(inst.n, dtype=bool)
    free[[i for ms in members for i in ms]] = False
    tie = np.array([rng.random() for _ in range(inst.n)])
    for g in sorted(range(inst.k), key=lambda g: (-len(members[g]), g)):
        _grow(inst, members[g], sizes[g], free, tie)
    group_of = _group_of(members, inst.n)
    left = [int(p) for p in np.flatnonzero(free)]
    return group_of if repair(inst, members, group_of, left) else None


def _group_of(members: Sequence[Sequence[int]], n: int) -> list[int]:
    group_of = [-1] * n
    for g, ms in enumerate(members):
        for i in ms:
            group_of[i] = g
    return group_of


def _grow(inst: Instance, ms: list[int], size: int, free: np.ndarray, tie: np.ndarray) -> None:
    eligible = free & ~inst.senior_mask if inst.senior_rule else free
    if not ms:
        cand = np.flatnonzero(eligible)
        if not len(cand):
            return
        ms.append(int(cand[np.argmin(np.array(inst.top)[cand] + tie[cand])]))
        free[ms[-1]] = False
    growing = _Growing(inst, ms)
    while len(ms) < size:
        ok = eligible & free & ~growing.blocked
        pool = [j for j in growing.pool if ok[j]]
        idx = np.array(pool, dtype=np.int64) if pool else np.flatnonzero(ok)
        if not len(idx):
            return
        p = int(idx[np.argmax(growing.gains(idx, size) + tie[idx] * 1e-3)])
        ms.append(p)
        free[p] = False
        growing.absorb(p)


class _Growing:
    """A group being grown, with running sums to score candidates for its next member.

    Candidates come from the closest matches of the members so far (everyone free when none of
    them is), which keeps each step proportional to the group, not to the whole program.
    """

    def __init__(self, inst: Instance, ms: list[int]) -> None:
        self.inst, self.ms = inst, ms
        self.common = np.full(inst.avail_words.shape[1], _WORD, dtype=np.uint64)
        self.seen = np.zeros(int(inst.dept_index.max()) + 1, dtype=bool)
        self.seen[-1] = True  # "not stated" never adds a department
        self.blocked = np.zeros(inst.n, dtype=bool)
        self.counts = np.zeros(inst.cat_matrix.max(initial=0) + 1, dtype=np.int64)
        self.counts[-1] = 2  # the padding category never counts as isolated
        self.iso = 0
        self.pool: set[int] = set()
        for m in ms:
            self.absorb(m)

    def absorb(self, p: int) -> None:
        """Add person p to the running sums."""
        inst = self.inst
        self.common &= inst.avail_words[p]
        self.seen[inst.dept_index[p]] = True
        self.blocked[list(inst.excl[p])] = True
        self.pool.update(inst.neighbours[p])
        for c in inst.cat_matrix[p][:-1]:
            self.counts[c] += 1
            if c != len(self.counts) - 1:
                self.iso += 1 if self.counts[c] == 1 else -int(self.counts[c] == 2)

    def gains(self, idx: np.ndarray, size: int) -> np.ndarray:
        """Score gained by each candidate joining, nudged towards a group nobody is isolated in."""
        inst, iw = self.inst, self.inst.interest_words
        pair = np.bitwise_count(iw[idx][:, None, :] & iw[self.ms][None, :, :])
        pair = pair.sum(axis=(1, 2), dtype=np.int64)
        slots = np.bitwise_count(inst.avail_words[idx] & self.common).sum(axis=1, dtype=np.int64)
        held = self.counts[inst.cat_matrix[idx]]
        change = (held == 0).sum(axis=1) - (held == 1).sum(axis=1)
        left = (size - len(self.ms) - 1) * (inst.cat_matrix.shape[1] - 1)
        excess = np.maximum(self.iso + change - left, 0)
        new_dept = ~self.seen[inst.dept_index[idx]]
        gains: np.ndarray = pair + 2 * slots + new_dept - 0.25 * change - 6 * excess
        return gains


def repair(inst: Instance, members: list[list[int]], group_of: list[int], left: list[int]) -> bool:
    """Place leftover people and top up groups below the minimum; False when that fails."""
    for p in left:
        if not _insert(inst, members, group_of, p):
            return False
    return _top_up(inst, members, group_of)


def _put(members: list[list[int]], group_of: list[int], p: int, g: int) -> None:
    if group_of[p] >= 0:
        members[group_of[p]].remove(p)
    members[g].append(p)
    group_of[p] = g


def _gain(inst: Instance, ms: Sequence[int], p: int) -> int:
    return inst.score([*ms, p]) - inst.score(ms)


def _insert(inst: Instance, members: list[list[int]], group_of: list[int], p: int) -> bool:
    room = [g for g, ms in enumerate(members) if len(ms) < inst.max_size and inst.fits(p, ms)]
    if room:
        _put(members, group_of, p, max(room, key=lambda g: _gain(inst, members[g], p)))
        return True
    for g, ms in enumerate(members):
        if not inst.fits(p, ms):
            continue
        for q in ms:
            if q in inst.pinned or (inst.senior_rule and inst.senior[q]):
                continue
            for h, other in enumerate(members):
                if h != g and len(other) < inst.max_size and inst.fits(q, other):
                    _put(members, group_of, q, h)
                    _put(members, group_of, p, g)
                    return True
    return False


def _top_up(inst: Instance, members: list[list[int]], group_of: list[int]) -> bool:
    for g, ms in enumerate(members):
        while len(ms) < inst.min_size:
            donors = [
                q
                for h, other in enumerate(members)
                if h != g and len(other) > inst.min_size
                for q in other
                if q not in inst.pinned
                and not (inst.senior_rule and inst.senior[q])
                and inst.fits(q, ms)
            ]
            if not donors:
                return False
            _put(members, group_of, max(donors, key=lambda q: _gain(inst, ms, q)), g)
    return True


# --- Local search ---------------------------------------------------------------------------


def better(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether (isolated, score) a beats b: fewer isolated members first, then a higher score."""
    return a[0] < b[0] or (a[0] == b[0] and a[1] > b[1])


class State:
    """A grouping with per-group scores, isolation counts and the sums that moves need."""

    def __init__(self, inst: Instance, group_of: Sequence[int]) -> None:
        k = inst.k
        self.inst = inst
        self.group_of = list(group_of)
        self.members: list[list[int]] = [[] for _ in range(k)]
        for i, g in enumerate(self.group_of):
            self.members[g].append(i)
        self.own = [0] * inst.n  # shared interests with the rest of one's group
        self.common = [0] * k
        self.depts: list[Counter[int]] = [Counter() for _ in range(k)]
        self.catc: list[Counter[int]] = [Counter() for _ in range(k)]
        self.scores = [0] * k
        self.iso = [0] * k
        self.version = [0] * k
        self.tolerance: int | None = None  # most score a move may lose to end an isolation
        self.lonely: dict[int, set[int]] = {}  # balanced value -> groups with one holder
        self.lonely_in: list[set[int]] = [set() for _ in range(k)]
        for g in range(k):
            self.refresh(g)

    def refresh(self, g: int) -> None:
        """Recompute everything kept for group g after its members changed."""
        inst, ms, it = self.inst, self.members[g], self.inst.interests
        common = (1 << inst.n_slots) - 1
        for i in ms:
            mask = it[i]
            self.own[i] = sum((mask & it[j]).bit_count() for j in ms if j != i)
            common &= inst.avail[i]
        self.common[g] = common
        self.depts[g] = Counter(inst.dept[i] for i in ms if inst.dept[i] >= 0)
        self.catc[g] = Counter(c for i in ms for c in inst.cats[i])
        pairs = sum(self.own[i] for i in ms) // 2
        self.scores[g] = pairs + 2 * common.bit_count() + len(self.depts[g])
        for c in self.lonely_in[g]:
            self.lonely[c].discard(g)
        self.lonely_in[g] = {c for c, v in self.catc[g].items() if v == 1}
        for c in self.lonely_in[g]:
            self.lonely.setdefault(c, set()).add(g)
        self.iso[g] = len(self.lonely_in[g])
        self.version[g] += 1

    def key(self) -> tuple[int, int]:
        """(isolated members, total score) of the whole grouping."""
        return sum(self.iso), sum(self.scores)

    def place(self, i: int, h: int, j: int = -1) -> None:
        """Move person i to group h, sending j (a member of h) to i's group when j >= 0."""
        g = self.group_of[i]
        self.members[g].remove(i)
        self.members[h].append(i)
        self.group_of[i] = h
        if j >= 0:
            self.members[h].remove(j)
            self.members[g].append(j)
            self.group_of[j] = g
        self.refresh(g)
        self.refresh(h)

    def regroup(self, assignment: Mapping[int, int]) -> None:
        """Apply a new assignment of some people and refresh the groups involved."""
        touched = {self.group_of[p] for p in assignment} | set(assignment.values())
        for p, g in assignment.items():
            self.group_of[p] = g
        for g in touched:
            self.members[g] = []
        for p, g in enumerate(self.group_of):
            if g in touched:
                self.members[g].append(p)
        for g in touched:
            self.refresh(g)


TOLERANCES = (0, 2, 8, 32, None)  # score a move may give up to end an isolation, in turn


def improve(
    state: State, rng: random.Random, deadline: float, queue: Sequence[int] | None = None
) -> None:
    """Best improving move or swap per person, until a round finds none or time is up.

    Isolation is ended at the smallest price first: moves that end one may first cost at most
    0, then 2, 8, 32 score points, and finally any price (lexicographic order). Later stages
    look only at people in groups with an isolated member and at holders of isolated values.
    """
    for tolerance in TOLERANCES if queue is None else (None,):
        state.tolerance = tolerance
        while time.monotonic() < deadline:
            if queue is not None:
                people = list(queue)
            elif tolerance == 0:
                people = list(range(state.inst.n))
            else:
                people = _isolation_people(state)
            rng.shuffle(people)
            if not _round(state, rng, deadline, deque(people)) or queue is not None:
                break
        if not sum(state.iso):
            break
    state.tolerance = None


def _isolation_people(state: State) -> list[int]:
    people = {m for g, count in enumerate(state.iso) if count for m in state.members[g]}
    for c, groups in state.lonely.items():
        if groups:
            people.update(state.inst.cat_holders[c])
    return sorted(people)


def _round(state: State, rng: random.Random, deadline: float, todo: deque[int]) -> bool:
    pending, improved, steps = set(todo), False, 0
    while todo:
        steps += 1
        if steps % 32 == 0 and time.monotonic() > deadline:
            return improved
        i = todo.popleft()
        pending.discard(i)
        if i in state.inst.pinned:
            continue
        move = _best_move(state, i, rng)
        if move is None:
            continue
        improved, g = True, state.group_of[i]
        state.place(i, *move)
        for m in state.members[g] + state.members[move[0]]:
            if m not in pending:
                pending.add(m)
                todo.append(m)
    return improved


def _iso_delta(counts: Counter[int], out: Sequence[int], into: Sequence[int]) -> int:
    change: dict[int, int] = {}
    for c in out:
        change[c] = change.get(c, 0) - 1
    for c in into:
        change[c] = change.get(c, 0) + 1
    delta = 0
    for c, d in change.items():
        if d:
            before = counts[c]
            delta += (before + d == 1) - (before == 1)
    return delta


def _dept_delta(counts: Counter[int], out: int, into: int) -> int:
    return (-(counts[out] == 1) if out >= 0 else 0) + ((counts[into] == 0) if into >= 0 else 0)


def _leave_one_out(avail: Sequence[int], members: Sequence[int], full: int) -> list[int]:
    prefix = [full]
    for m in members:
        prefix.append(prefix[-1] & avail[m])
    out, suffix = [0] * len(members), full
    for idx in range(len(members) - 1, -1, -1):
        out[idx] = prefix[idx] & suffix
        suffix &= avail[members[idx]]
    return out


Move = tuple[tuple[int, int], tuple[int, int]]  # ((-isolation change, score change), (h, j))


def _best_move(state: State, i: int, rng: random.Random) -> tuple[int, int] | None:
    leaving, best = _Leaving(state, i), None
    for h in _candidate_groups(state, i, rng):
        found = leaving.best_into(h)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return None if best is None else best[1]


def _candidate_groups(state: State, i: int, rng: random.Random) -> set[int]:
    # Groups of one's closest matches, one at random, and a few where one's balance value is
    # held by a single member (joining would end that person's isolation).
    inst = state.inst
    groups = {state.group_of[j] for j in inst.neighbours[i]}
    groups.add(rng.randrange(inst.k))
    for c in inst.cats[i]:
        lonely = state.lonely.get(c)
        if lonely:
            groups.update(rng.sample(sorted(lonely), min(4, len(lonely))))
    groups.discard(state.group_of[i])
    return groups


class _Leaving:
    """Person i leaving their group g: what changes in g, computed once, and the best moves."""

    def __init__(self, state: State, i: int) -> None:
        inst, g = state.inst, state.group_of[i]
        self.state, self.inst, self.i, self.g = state, inst, i, g
        self.full = (1 << inst.n_slots) - 1
        self.rest = self.full
        for m in state.members[g]:
            if m != i:
                self.rest &= inst.avail[m]
        self.pc_g = state.common[g].bit_count()
        self.slots = self.rest.bit_count() - self.pc_g
        self.dept = -int(state.depts[g][inst.dept[i]] == 1) if inst.dept[i] >= 0 else 0
        self.iso = _iso_delta(state.catc[g], inst.cats[i], ())
        self.can_leave = len(state.members[g]) > inst.min_size and not (
            inst.senior_rule and inst.senior[i]
        )
        self.floor = -(1 << 62) if state.tolerance is None else -state.tolerance

    def best_into(self, h: int) -> Move | None:
        """The best improving move of i into group h: alone, or swapped with one member."""
        excluded = self.inst.excl[self.i]
        conflict = [m for m in self.state.members[h] if m in excluded] if excluded else []
        if len(conflict) > 1:
            return None
        mask, it = self.inst.interests[self.i], self.inst.interests
        pih = sum((mask & it[m]).bit_count() for m in self.state.members[h])
        moves = [] if conflict else [self._relocation(h, pih)]
        moves.append(self._swap(h, pih, conflict[0] if conflict else -1))
        return max((m for m in moves if m is not None), default=None)

    def _keep(self, iso: int, d: int, move: tuple[int, int]) -> Move | None:
        return ((-iso, d), move) if (-iso, d) > (0, 0) and d >= self.floor else None

    def _relocation(self, h: int, pih: int) -> Move | None:
        state, inst, i = self.state, self.inst, self.i
        if not self.can_leave or len(state.members[h]) >= inst.max_size:
            return None
        common, di = state.common[h], inst.dept[i]
        d = pih - state.own[i] + self.dept + (di >= 0 and state.depts[h][di] == 0)
        d += 2 * (self.slots + (common & inst.avail[i]).bit_count() - common.bit_count())
        iso = self.iso + _iso_delta(state.catc[h], (), inst.cats[i])
        return self._keep(iso, d, (h, -1))

    def _swap(self, h: int, pih: int, only: int) -> Move | None:
        state, inst, i, g = self.state, self.inst, self.i, self.g
        mh, ms, it = state.members[h], state.members[g], inst.interests
        loo = _leave_one_out(inst.avail, mh, self.full)
        base = pih - state.own[i] - 2 * (self.pc_g + state.common[h].bit_count())
        best: Move | None = None
        for idx, j in enumerate(mh):
            if (only >= 0 and j != only) or j in inst.pinned:
                continue
            if inst.senior_rule and inst.senior[j] != inst.senior[i]:
                continue
            if inst.excl[j] and not inst.fits(j, ms, i):
                continue
            wij = (it[i] & it[j]).bit_count()
            d = base + sum((it[j] & it[m]).bit_count() for m in ms) - 2 * wij - state.own[j]
            d += 2 * (
                (self.rest & inst.avail[j]).bit_count() + (loo[idx] & inst.avail[i]).bit_count()
            )
            d += self._swap_depts(h, j)
            found = self._keep(self._swap_iso(h, j), d, (h, j))
            if found is not None and (best is None or found[0] > best[0]):
                best = found
        return best

    def _swap_depts(self, h: int, j: int) -> int:
        di, dj = self.inst.dept[self.i], self.inst.dept[j]
        if di == dj:
            return 0
        return _dept_delta(self.state.depts[self.g], di, dj) + _dept_delta(
            self.state.depts[h], dj, di
        )

    def _swap_iso(self, h: int, j: int) -> int:
        ci, cj = self.inst.cats[self.i], self.inst.cats[j]
        if ci == cj:
            return 0
        return _iso_delta(self.state.catc[self.g], ci, cj) + _iso_delta(self.state.catc[h], cj, ci)
