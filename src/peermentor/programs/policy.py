"""Who may see and change programs, groups, memberships, invitations and charters.

The rules of DESIGN.md §2, stated once. Views fetch objects through
``core.authorization.get_for_user_or_404`` with the permission names defined here.
"""

from __future__ import annotations

from typing import Any

import rules

from peermentor.programs.models import Charter, Group, Membership, Program, ProgramRole


def _program_of(obj: Any) -> Program | None:
    if isinstance(obj, Program):
        return obj
    if isinstance(obj, Group):
        return obj.program
    if isinstance(obj, Membership | Charter):
        return obj.group.program
    return getattr(obj, "program", None)


def _group_of(obj: Any) -> Group | None:
    if isinstance(obj, Group):
        return obj
    return getattr(obj, "group", None)


def _has_program_role(user: Any, program: Program | None, role: str) -> bool:
    if program is None or not user.is_authenticated:
        return False
    return ProgramRole.objects.filter(program_id=program.pk, user_id=user.pk, role=role).exists()


@rules.predicate
def is_program_director(user: Any, obj: Any) -> bool:
    """The person directs the program the object belongs to."""
    return _has_program_role(user, _program_of(obj), ProgramRole.Role.DIRECTOR)


@rules.predicate
def is_program_evaluator(user: Any, obj: Any) -> bool:
    """The person evaluates the program the object belongs to."""
    return _has_program_role(user, _program_of(obj), ProgramRole.Role.EVALUATOR)


@rules.predicate
def is_group_member(user: Any, obj: Any) -> bool:
    """The person is a current member (any role) of the group the object belongs to."""
    group = _group_of(obj)
    if group is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        group_id=group.pk, user_id=user.pk, left_on__isnull=True
    ).exists()


@rules.predicate
def is_site_administrator(user: Any) -> bool:
    """The person operates the installation."""
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def directs_any_program(user: Any) -> bool:
    """The person directs at least one program."""
    return bool(
        user.is_authenticated
        and ProgramRole.objects.filter(user_id=user.pk, role=ProgramRole.Role.DIRECTOR).exists()
    )


# Programs: directors run them; evaluators see their aggregate figures.
rules.add_perm("programs.see_program", is_program_director | is_program_evaluator)
rules.add_perm("programs.manage_program", is_program_director)
rules.add_perm("programs.create_program", is_site_administrator | directs_any_program)

# Groups: members see everything of their own group; directors see who is in it, never its
# private content (notes, charter, agendas); evaluators do not see groups at all.
rules.add_perm("programs.see_group", is_group_member | is_program_director)
rules.add_perm("programs.see_group_content", is_group_member)
rules.add_perm("programs.manage_membership", is_program_director)

# The charter belongs to the members: they propose it and decide on it.
rules.add_perm("programs.decide_charter", is_group_member)
