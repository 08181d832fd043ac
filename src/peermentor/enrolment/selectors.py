"""Reads for enrolment: calls, applications, proposals with their reasons, waitlist, cohorts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from peermentor.accounts.models import User
from peermentor.enrolment.models import Application, Call, Cohort, CohortGroup, FormationRun
from peermentor.programs.formation import Applicant, GroupExplanation, explain_group
from peermentor.programs.models import Invitation, Membership, Program

ELIGIBLE = (Application.Status.APPLIED, Application.Status.WAITLISTED)


def calls_of_program(*, program: Program) -> QuerySet[Call]:
    """A program's calls with their number of applications in each state."""
    by_status = {
        f"n_{status}": Count("applications", filter=Q(applications__status=status))
        for status in Application.Status.values
    }
    return program.calls.select_related("cohort").annotate(
        n_applications=Count("applications"), **by_status
    )


def cohorts_of_program(*, program: Program) -> QuerySet[Cohort]:
    """A program's cohorts with the number of their groups."""
    return program.cohorts.annotate(n_groups=Count("cohort_groups")).order_by("-starts_on")


def applications_of_call(*, call: Call) -> QuerySet[Application]:
    """Every application to a call, oldest first, with its account and group."""
    return call.applications.select_related("user", "group").order_by("applied_at", "id")


def application_of_user(*, call: Call, user: Any) -> Application | None:
    """The signed-in person's application to a call, if they made one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return call.applications.filter(Q(user=user) | Q(email__iexact=user.email)).first()


def eligible_applications(*, call: Call) -> list[Application]:
    """Confirmed applications not yet placed, offered or withdrawn, in order of application."""
    return list(
        call.applications.filter(status__in=ELIGIBLE, confirmed_at__isnull=False).order_by(
            "applied_at", "id"
        )
    )


def formation_applicants(applications: Sequence[Application]) -> list[Applicant]:
    """Applications as the pure formation module's applicants (exclusions matched by e-mail)."""
    by_email = {a.email.casefold(): a.pk for a in applications}
    out = []
    for a in applications:
        excluded = {by_email.get(e.casefold()) for e in a.exclude_emails} - {None, a.pk}
        out.append(
            Applicant(
                id=a.pk,
                senior=a.is_senior,
                department=a.department,
                interests=frozenset(a.interests) | frozenset(a.tags),
                availability=frozenset(a.availability),
                exclude=frozenset(excluded),
                balance=dict(a.balance),
            )
        )
    return out


def display_status(application: Application) -> str:
    """The state an applicant sees: an accepted invitation counts as placed."""
    invitation = application.invitation
    if application.status == Application.Status.OFFERED and invitation and invitation.accepted_at:
        return Application.Status.PLACED.label
    return application.get_status_display()


# --- Proposals -------------------------------------------------------------------------------


@dataclass
class ProposedGroup:
    """One proposed group: its members, why they fit, and any rule it breaks after a move."""

    index: int
    members: list[Application]
    why: GroupExplanation
    pinned: set[int]
    warnings: list[str] = field(default_factory=list)


@dataclass
class Proposal:
    """A run's groups as they stand now (after any moves), with totals recomputed."""

    groups: list[ProposedGroup]
    left_out: list[Application]
    objective: int
    lowest: int
    isolated: int
    broken_exclusions: list[str]


def proposal(*, run: FormationRun) -> Proposal | None:
    """The run's groups with their reasons; None while the run has no result."""
    if not run.result.get("groups"):
        return None
    ids = [pid for group in run.result["groups"] for pid in group] + run.result.get("left_out", [])
    apps = {a.pk: a for a in run.call.applications.filter(pk__in=ids)}
    people = {p.id: p for p in formation_applicants(list(apps.values()))}
    pins = {int(k): v for k, v in run.pins.items()}
    groups, broken = [], []
    for index, member_ids in enumerate(run.result["groups"]):
        members = [apps[i] for i in member_ids if i in apps]
        group = ProposedGroup(
            index=index,
            members=members,
            why=explain_group([people[a.pk] for a in members]),
            pinned={a.pk for a in members if pins.get(a.pk) == index},
        )
        group.warnings, clashes = _warnings(run, group, people)
        broken += clashes
        groups.append(group)
    scores = [g.why.score.total for g in groups]
    left = [apps[i] for i in run.result.get("left_out", []) if i in apps]
    return Proposal(
        groups=groups,
        left_out=left,
        objective=sum(scores),
        lowest=min(scores, default=0),
        isolated=sum(len(g.why.isolated) for g in groups),
        broken_exclusions=broken,
    )


def _warnings(
    run: FormationRun, group: ProposedGroup, people: dict[int, Applicant]
) -> tuple[list[str], list[str]]:
    size, out, clashes = len(group.members), [], []
    if size < run.min_size:
        out.append(f"{size} members: fewer than the minimum of {run.min_size}")
    if size > run.max_size:
        out.append(f"{size} members: more than the maximum of {run.max_size}")
    seniors = sum(a.is_senior for a in group.members)
    if run.senior_per_group and seniors != 1:
        out.append(f"{seniors} senior members: the rule is exactly one")
    members = group.members
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if b.pk in people[a.pk].exclude or a.pk in people[b.pk].exclude:
                clashes.append(f"{a.name} and {b.name} must not share group {group.index + 1}")
    return out + clashes, clashes


# --- Waitlist and cohorts --------------------------------------------------------------------


def waitlist(*, call: Call) -> QuerySet[Application]:
    """Waitlisted applications in the order they applied."""
    return call.applications.filter(status=Application.Status.WAITLISTED).order_by(
        "applied_at", "id"
    )


def _open_invitations(group_ids: Sequence[int]) -> Counter[int]:
    rows = Invitation.objects.filter(
        group_id__in=group_ids, accepted_at__isnull=True, revoked_at__isnull=True
    ).values_list("group_id", flat=True)
    return Counter(rows)


def groups_with_room(*, call: Call) -> list[tuple[CohortGroup, int]]:
    """Active groups of the call's cohort with places left: (group, places)."""
    if call.cohort_id is None:
        return []
    cohort_groups = list(
        call.cohort.cohort_groups.filter(status=CohortGroup.Status.ACTIVE)
        .select_related("group")
        .annotate(
            current=Count("group__memberships", filter=Q(group__memberships__left_on__isnull=True))
        )
    )
    invited = _open_invitations([cg.group_id for cg in cohort_groups])
    rooms = [(cg, cg.max_size - cg.current - invited[cg.group_id]) for cg in cohort_groups]
    return [(cg, room) for cg, room in rooms if room > 0]


def cohort_groups(*, cohort: Cohort) -> QuerySet[CohortGroup]:
    """The groups of a cohort with their current number of members."""
    return cohort.cohort_groups.select_related("group").annotate(
        current=Count("group__memberships", filter=Q(group__memberships__left_on__isnull=True))
    )


def current_members(*, cohort_group: CohortGroup) -> list[Membership]:
    """The current memberships of a cohort's group, with their people."""
    return list(
        Membership.objects.filter(group_id=cohort_group.group_id, left_on__isnull=True)
        .select_related("user")
        .order_by("id")
    )


def latest_application(*, program: Program, user: User) -> Application | None:
    """A person's most recent application in a program, to carry their answers forward."""
    return (
        Application.objects.filter(call__program=program, user=user).order_by("-applied_at").first()
    )
