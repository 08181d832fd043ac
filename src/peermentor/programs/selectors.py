"""Reads for programs, groups, memberships, invitations and charters."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.programs.models import (
    Charter,
    CharterDecision,
    Group,
    Invitation,
    Membership,
    Program,
    ProgramRole,
)

_CURRENT = Q(memberships__left_on__isnull=True)


def is_current_member(*, group: Group, user: User) -> bool:
    """Whether the person is in the group now."""
    return Membership.objects.filter(group=group, user=user, left_on__isnull=True).exists()


def current_member_ids(*, group: Group) -> set[int]:
    """The ids of the group's current members."""
    return set(
        Membership.objects.filter(group=group, left_on__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def memberships_current_for_user(*, user: User) -> QuerySet[Membership]:
    """The person's current memberships, with group and program."""
    return (
        Membership.objects.filter(user=user, left_on__isnull=True)
        .select_related("group", "group__program")
        .annotate(
            member_count=Count(
                "group__memberships", filter=Q(group__memberships__left_on__isnull=True)
            )
        )
        .order_by("group__program__name", "group__name")
    )


def program_roles_for_user(*, user: User) -> QuerySet[ProgramRole]:
    """The programs the person directs or evaluates."""
    return (
        ProgramRole.objects.filter(user=user)
        .select_related("program")
        .order_by("program__name", "role")
    )


_MEMBER_KIND = "member"  # not a program role: stands for "a current member of some group"


def _navigation_sql() -> str:
    roles, memberships = ProgramRole._meta, Membership._meta
    # Only the models' own table and column names and a constant go into the text; the
    # person is a bound parameter.
    return (
        f"SELECT {roles.get_field('role').column} FROM {roles.db_table}"  # noqa: S608
        f" WHERE {roles.get_field('user').column} = %s"
        f" UNION SELECT '{_MEMBER_KIND}' FROM {memberships.db_table}"
        f" WHERE {memberships.get_field('user').column} = %s"
        f" AND {memberships.get_field('left_on').column} IS NULL"
    )


_NAVIGATION_SQL = _navigation_sql()


def navigation_roles(*, user: User) -> dict[str, bool]:
    """Which kinds of place the navigation shows for this person.

    Every signed-in page asks, so it is one short query written out: the ORM took twice as
    long to build the same UNION as the database took to answer it."""
    with connection.cursor() as cursor:
        cursor.execute(_NAVIGATION_SQL, [user.pk, user.pk])
        roles = {kind for (kind,) in cursor.fetchall()}
    return {
        "is_member": _MEMBER_KIND in roles,
        "is_director": ProgramRole.Role.DIRECTOR in roles,
        "is_evaluator": ProgramRole.Role.EVALUATOR in roles,
        "is_site_admin": user.is_superuser,
    }


def groups_of_program(*, program: Program) -> QuerySet[Group]:
    """A program's groups with current and past member counts."""
    return program.groups.annotate(
        current_members=Count("memberships", filter=_CURRENT),
        all_members=Count("memberships"),
    ).order_by("formed_on", "name")


def program_staff(*, program: Program) -> QuerySet[ProgramRole]:
    """Directors and evaluators of a program."""
    return program.roles.select_related("user").order_by("role", "user__name")


def invitations_open(*, program: Program) -> QuerySet[Invitation]:
    """Invitations of a program not yet used, withdrawn or expired."""
    return program.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("group")


def group_memberships(*, group: Group) -> dict[str, list[Membership]]:
    """The group's current and former members, each with their profile."""
    memberships = group.memberships.select_related("user", "user__profile").order_by(
        "-role", "user__name", "joined_on"
    )
    current = [m for m in memberships if m.left_on is None]
    former = [m for m in memberships if m.left_on is not None]
    return {"current": current, "former": former}


def charter_overview(*, group: Group) -> dict[str, Any]:
    """The charter in force, the open proposal with its decisions, and the earlier versions."""
    charters = list(
        group.charters.select_related("proposed_by").prefetch_related(
            Prefetch("decisions", queryset=_decisions())
        )
    )
    return {
        "in_force": next((c for c in charters if c.status == Charter.Status.ADOPTED), None),
        "proposal": next((c for c in charters if c.status == Charter.Status.PROPOSED), None),
        "history": [c for c in charters if c.status not in {"adopted", "proposed"}],
    }


def _decisions() -> QuerySet[CharterDecision]:
    return CharterDecision.objects.select_related("user").order_by("decided_at")
