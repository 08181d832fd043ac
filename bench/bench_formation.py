"""Benchmark group formation against the CATME-style greedy baseline on planted instances.

Run as ``python bench/bench_formation.py [--quick]``. Prints, side by side in one run, both
objectives, both lowest group scores, their ratio, the gap to the known optimum, seconds, isolated
members and whether each target is met; then a small instance solved by CP-SAT with its bound.
"""

# A planted instance is built around a partition whose optimum is known by construction:
#
# - every planted group has 8 members (n = 8k, sizes 6–8, so ceil(n/8) = k groups, all of 8);
# - every person holds exactly 3 interests, those of their group's interest cluster; clusters
#   are shared by several groups and neighbouring clusters share one interest (decoys);
# - every person is free in exactly 4 weekly slots, those of their group's slot cluster; slot
#   clusters are disjoint and shared by several groups;
# - the 8 members of a planted group come from 8 different departments (of 10);
# - balance values are dealt so that no planted group isolates anyone; exclusions only join
#   people of different planted groups; with seniors, each planted group has exactly one.
#
# Why the planted partition is optimal: a pair shares at most 3 interests (everyone holds 3),
# and exactly 3 only inside one interest cluster, so a group of 8 scores at most 3·C(8,2) = 84
# for interests; a group has at most 4 common slots (everyone is free in 4), and 4 only if all
# come from one slot cluster, so at most 8 for slots; at most 8 departments. Every grouping has
# k groups of exactly 8, so no grouping scores more than k·(84 + 8 + 8) = 100·k, and the planted
# groups reach it. Mixing interest clusters loses at least one point per mixed pair, mixing slot
# clusters loses all 8 slot points of the group: strictly worse. The planted partition also meets
# every rule (sizes, seniors, exclusions, no isolation), so it is optimal under them too. The
# benchmark checks that the module's cheap bound equals 100·k, which proves it again.

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Import the package from this checkout's src/ whether or not it is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peermentor.programs.formation import (
    Applicant,
    FormationError,
    FormationRequest,
    FormationResult,
    form_groups,
    greedy_baseline,
    group_score,
)

GROUP = 8
INTEREST_CLUSTERS = 12
SLOT_CLUSTERS = 15  # 15 × 4 slots: Monday to Friday, 07:00 to 18:59
DEPARTMENTS = [
    "Anaesthesia", "Emergency Medicine", "Family Medicine", "Internal Medicine", "Neurology",
    "Obstetrics", "Paediatrics", "Psychiatry", "Radiology", "Surgery",
]  # fmt: skip
GENDER_MIXES = [
    ("woman",) * 4 + ("man",) * 4,
    ("woman",) * 5 + ("man",) * 3,
    ("woman",) * 3 + ("man",) * 3 + ("prefer not to say",) * 2,
    ("woman",) * 2 + ("man",) * 4 + ("non-binary",) * 2,
    ("woman",) * 6 + ("man",) * 2,
]
URIM_MIXES = [("yes",) * 2 + ("no",) * 6, ("yes",) * 3 + ("no",) * 5, ("no",) * 8]


@dataclass(frozen=True)
class Planted:
    """A generated instance with the partition it was built around and that partition's score."""

    applicants: list[Applicant]
    partition: list[list[str]]
    optimum: int


def slot_names() -> list[str]:
    """The 60 weekday working-hour slots, Mon07 … Fri18."""
    return [f"{d}{h:02d}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri") for h in range(7, 19)]


def planted(
    groups: int,
    seed: int,
    *,
    seniors: bool = True,
    exclusions: int = 0,
    clusters: tuple[int, int] = (INTEREST_CLUSTERS, SLOT_CLUSTERS),
) -> Planted:
    """An instance of ``groups`` × 8 applicants whose planted partition is optimal (see above)."""
    rng = random.Random(seed)
    slots = slot_names()
    people: list[dict[str, object]] = []
    partition: list[list[str]] = []
    for g in range(groups):
        cluster, slot_cluster = rng.randrange(clusters[0]), rng.randrange(clusters[1])
        topics = frozenset(f"topic {(2 * cluster + d) % (2 * INTEREST_CLUSTERS)}" for d in range(3))
        free = frozenset(slots[4 * slot_cluster : 4 * slot_cluster + 4])
        genders, urim = list(rng.choice(GENDER_MIXES)), list(rng.choice(URIM_MIXES))
        rng.shuffle(genders)
        rng.shuffle(urim)
        depts = rng.sample(DEPARTMENTS, GROUP)
        chief = rng.randrange(GROUP)
        members = []
        for m in range(GROUP):
            pid = f"p{len(people):05d}"
            members.append(pid)
            people.append(
                {
                    "id": pid,
                    "senior": seniors and m == chief,
                    "department": depts[m],
                    "interests": topics,
                    "availability": free,
                    "balance": {"gender": genders[m], "urim": urim[m]},
                    "group": g,
                }
            )
        partition.append(members)
    excluded = _exclusions(people, exclusions, rng)
    rng.shuffle(people)
    applicants = [
        Applicant(
            id=str(p["id"]),
            senior=bool(p["senior"]),
            department=str(p["department"]),
            interests=p["interests"],  # type: ignore[arg-type]
            availability=p["availability"],  # type: ignore[arg-type]
            exclude=frozenset(excluded.get(str(p["id"]), ())),
            balance=p["balance"],  # type: ignore[arg-type]
        )
        for p in people
    ]
    by_id = {a.id: a for a in applicants}
    optimum = sum(group_score([by_id[i] for i in ms]) for ms in partition)
    return Planted(applicants, partition, optimum)


def _exclusions(
    people: Sequence[dict[str, object]], count: int, rng: random.Random
) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    while sum(map(len, out.values())) < count:
        a, b = rng.sample(list(people), 2)
        if a["group"] != b["group"]:
            out.setdefault(str(a["id"]), set()).add(str(b["id"]))
    return out


INTERESTS = [
    "assessment", "simulation", "curriculum design", "feedback", "wellness", "bedside teaching",
    "grant writing", "qualitative research", "leadership", "diversity and inclusion",
    "faculty development", "online learning", "promotion", "patient safety",
    "quality improvement", "medical humanities", "clinical reasoning", "interprofessional",
]  # fmt: skip


def realistic(n: int, seed: int, *, seniors: int = 0, exclusions: int = 0) -> list[Applicant]:
    """Applicants with skewed interests, clustered availability and mixed balance columns."""
    rng = random.Random(seed)
    slots = slot_names()
    weights = [1 / (r + 1) for r in range(len(INTERESTS))]
    people = []
    for i in range(n):
        interests = {rng.choices(INTERESTS, weights)[0] for _ in range(rng.randint(2, 5))}
        days = rng.sample(range(5), 2)
        hours = rng.sample(range(12), rng.randint(3, 6))
        free = frozenset(slots[12 * d + h] for d in days for h in hours)
        gender = rng.choices(["woman", "man", "non-binary", "prefer not to say"], [55, 40, 2, 3])
        urim = rng.choices(["yes", "no", ""], [15, 80, 5])
        people.append(
            Applicant(
                id=f"a{i:04d}",
                senior=i < seniors,
                department=rng.choice(DEPARTMENTS),
                interests=frozenset(interests),
                availability=free,
                balance={"gender": gender[0], "urim": urim[0]},
            )
        )
    pairs: dict[str, set[str]] = {}
    for _ in range(exclusions):
        a, b = rng.sample(people, 2)
        pairs.setdefault(a.id, set()).add(b.id)
    return [Applicant(**{**p.__dict__, "exclude": frozenset(pairs.get(p.id, ()))}) for p in people]


# --- Running and reporting ------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One benchmark run: an instance, its request settings and its target."""

    name: str
    applicants: list[Applicant]
    optimum: int | None
    min_size: int
    max_size: int
    seniors: bool
    seconds: float
    target: str


def run(case: Case) -> tuple[FormationResult | None, FormationResult]:
    """The greedy baseline (None when it gets stuck) and the full method on the same request."""
    request = FormationRequest(
        case.applicants, case.min_size, case.max_size, case.seniors, case.seconds, seed=1
    )
    try:
        greedy = greedy_baseline(request)
    except FormationError:
        greedy = None
    return greedy, form_groups(request)


def met(case: Case, result: FormationResult) -> bool:
    """Whether the full method met the case's target."""
    feasible = result.isolated == 0 and result.seconds <= case.seconds
    if case.target == "within 1%" and case.optimum:
        return feasible and result.objective >= 0.99 * case.optimum
    if case.target == "optimal":
        return feasible and result.gap == 0
    if case.target == "bound and gap":
        return result.bound is not None and result.seconds <= case.seconds
    return feasible


def report(case: Case, greedy: FormationResult | None, best: FormationResult) -> None:
    """Print the two methods side by side."""
    print(f"\n{case.name}: {len(case.applicants)} applicants, groups of {case.min_size}–"
          f"{case.max_size}, {case.seconds:g} s allowed, target: {case.target}")  # fmt: skip
    print(f"  {'method':<16}{'objective':>10}{'lowest':>8}{'to optimum':>12}{'bound':>8}"
          f"{'gap':>8}{'isolated':>10}{'seconds':>9}")  # fmt: skip
    if greedy is None:
        print(f"  {'greedy (CATME)':<16} got stuck: an exclusion left someone without a group")
    for label, result in (("greedy (CATME)", greedy), (best.method, best)):
        if result is not None:
            figures = (_to_optimum(case, result), _text(result.bound), _percent(result.gap))
            print(f"  {label:<16}{result.objective:>10}{result.lowest_group_score:>8}"
                  f"{figures[0]:>12}{figures[1]:>8}{figures[2]:>8}{result.isolated:>10}"
                  f"{result.seconds:>9.2f}")  # fmt: skip
    if greedy is not None:
        ratio = best.objective / max(greedy.objective, 1)
        lowest = best.lowest_group_score / max(greedy.lowest_group_score, 1)
        print(f"  ratio full / greedy: objective {ratio:.3f}, lowest group score {lowest:.2f}")
    for note in best.notes:
        print(f"  note: {note}")
    if case.optimum is not None:
        proof = "equals" if best.bound == case.optimum else "differs from"
        print(f"  known optimum {case.optimum}; the reported bound {proof} it")
    print(f"  target met: {'yes' if met(case, best) else 'NO'}")


def _to_optimum(case: Case, result: FormationResult) -> str:
    if not case.optimum:
        return "-"
    return _percent((case.optimum - result.objective) / case.optimum)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def _text(value: int | None) -> str:
    return "-" if value is None else str(value)


def cases(skip_large: bool) -> list[Case]:
    """The instances: planted 1,000 and 5,000, planted and realistic 40, realistic 12."""
    thousand = planted(125, seed=11, exclusions=60)
    small = planted(5, seed=12, exclusions=4, clusters=(2, 2))
    out = [
        Case("planted 1,000", thousand.applicants, thousand.optimum, 6, 8, True, 10,
             "within 1%"),
        Case("planted 40", small.applicants, small.optimum, 6, 8, True, 10, "optimal"),
        Case("realistic 40", realistic(40, seed=14, seniors=5, exclusions=4), None, 5, 8, True,
             10, "bound and gap"),
        Case("realistic 12", realistic(12, seed=13, seniors=3, exclusions=2), None, 3, 4, True,
             10, "optimal"),
    ]  # fmt: skip
    if not skip_large:
        large = planted(625, seed=14, exclusions=300)
        out.insert(1, Case("planted 5,000", large.applicants, large.optimum, 6, 8, True, 55,
                           "feasible, no isolation, <= 60 s"))  # fmt: skip
    return out


def main() -> int:
    """Run every case, print the figures and return 1 when a target was missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-large", action="store_true", help="leave out 5,000 applicants")
    args = parser.parse_args()
    print(f"group formation benchmark on {os.cpu_count()} cores")
    missed = 0
    for case in cases(args.skip_large):
        greedy, best = run(case)
        report(case, greedy, best)
        missed += not met(case, best)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
