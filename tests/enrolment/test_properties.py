"""Property tests of formation through enrolment: applications in, rules kept, by e-mail.

The pure module's own properties (sizes, exclusions, one senior, pins; planted instances with
no isolation and a known optimum) are in tests/programs/test_formation.py. These check the path
the director's pages take: applications (exclusions named by e-mail, either side) converted by
the selectors, formed, and the planted partition read back through the intake CSV command.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

from django.core.management import call_command
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from peermentor.enrolment.models import Application
from peermentor.enrolment.selectors import formation_applicants
from peermentor.programs.formation import FormationError, FormationRequest, form_groups
from tests.programs.test_formation import planted

SLOTS = ["Mon07", "Tue07", "Wed12", "Thu12"]
QUICK = settings(max_examples=15, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@st.composite
def applications(draw: st.DrawFn) -> tuple[list[Application], int, int, bool]:
    low = draw(st.integers(2, 3))
    high = draw(st.integers(low, low + 2))
    n = draw(st.integers(2 * low, 12))
    assume(math.ceil(n / high) <= n // low)
    rule = draw(st.booleans())
    k = math.ceil(n / high)
    apps = [
        Application(
            pk=i + 1,
            email=f"P{i}@Test.Example" if i % 2 else f"p{i}@test.example",
            career_stage="senior" if rule and i < k else "junior",
            department=draw(st.sampled_from(["A", "B", "C"])),
            interests=draw(st.lists(st.sampled_from(["x", "y", "z"]), max_size=2)),
            availability=draw(st.lists(st.sampled_from(SLOTS), max_size=3)),
            balance={"Gender": draw(st.sampled_from(["woman", "man"]))},
        )
        for i in range(n)
    ]
    for a, b in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                              max_size=3)):  # fmt: skip
        if a != b:
            apps[a].exclude_emails = [*apps[a].exclude_emails, f"p{b}@TEST.example"]
    return apps, low, high, rule


@QUICK
@given(applications())
def test_every_grouping_of_applications_keeps_sizes_exclusions_and_seniors(
    drawn: tuple[list[Application], int, int, bool],
) -> None:
    apps, low, high, rule = drawn
    request = FormationRequest(formation_applicants(apps), low, high, rule, seconds=0.5)
    try:
        result = form_groups(request)
    except FormationError:
        assume(False)
        raise
    by_pk = {a.pk: a for a in apps}
    assert sorted(p for g in result.groups for p in g) == sorted(by_pk)
    for group in result.groups:
        assert low <= len(group) <= high
        emails = {by_pk[p].email.casefold() for p in group}
        for p in group:
            assert not {e.casefold() for e in by_pk[p].exclude_emails} & emails
        if rule:
            assert sum(by_pk[p].is_senior for p in group) == 1


@settings(max_examples=4, deadline=None, derandomize=True)
@given(st.integers(2, 4), st.integers(4, 6), st.integers(0, 50))
def test_a_planted_partition_read_from_csv_has_no_isolation(
    groups: int, size: int, seed: int
) -> None:
    people, optimum = planted(groups, size, seed, seniors=True)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["id", "career_stage", "department", "interests", "availability", "exclude",
                     "balance:gender", "balance:urim"])  # fmt: skip
    for p in people:
        writer.writerow([p.id, "senior" if p.senior else "junior", p.department,
                         ";".join(p.interests), ";".join(p.availability), ";".join(p.exclude),
                         p.balance["gender"], p.balance["urim"]])  # fmt: skip
    path = Path(f"/tmp/planted-{groups}-{size}-{seed}.csv")  # noqa: S108 - a test file
    path.write_text(text.getvalue(), encoding="utf-8")
    out = io.StringIO()
    call_command("form-groups", str(path), "--min", str(size - 1), "--max", str(size),
                 "--senior-per-group", "--seconds", "2", "--json", stdout=out)  # fmt: skip
    path.unlink()
    result = json.loads(out.getvalue())
    assert result["isolated"] == 0
    assert result["objective"] == optimum == result["bound"]
