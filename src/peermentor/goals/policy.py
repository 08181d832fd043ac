"""Who may see and change goals, topics, plans and resources.

A goal is its owner's. Shared with the group, the group's current members see it; shared with
the program, its director sees it too. Otherwise directors see only counts (reports). Topics are
the program's: its directors manage them, everyone in the program reads them. Resources belong
to the group's members.
"""

from __future__ import annotations

from typing import Any

import rules

from peermentor.goals.models import Goal
from peermentor.programs.models import Membership, ProgramRole
from peermentor.programs.policy import is_group_member, is_program_director


@rules.predicate
def owns(user: Any, obj: Any) -> bool:
    """The person owns the goal (or the goal of the milestone or check-in)."""
    goal = getattr(obj, "goal", obj)
    return bool(user.is_authenticated and getattr(goal, "owner_id", None) == user.pk)


@rules.predicate
def shared_with_their_group(user: Any, goal: Goal) -> bool:
    """The goal is shared with a group the person is in now."""
    return goal.visibility != Goal.Visibility.PRIVATE and is_group_member(user, goal.group)


@rules.predicate
def shared_with_their_program(user: Any, goal: Goal) -> bool:
    """The goal is shared with the program the person directs."""
    return goal.visibility == Goal.Visibility.PROGRAM and is_program_director(user, goal.group)


@rules.predicate
def takes_part_in_program(user: Any, obj: Any) -> bool:
    """The person is in a group of the program (of a topic) now, or helps run it."""
    if not user.is_authenticated:
        return False
    program = getattr(obj, "program", obj)
    member = Membership.objects.filter(
        user_id=user.pk, group__program_id=program.pk, left_on__isnull=True
    ).exists()
    return member or ProgramRole.objects.filter(user_id=user.pk, program_id=program.pk).exists()


@rules.predicate
def posted(user: Any, resource: Any) -> bool:
    """The person posted the resource."""
    return bool(user.is_authenticated and resource.posted_by_id == user.pk)


rules.add_perm("goals.see_goal", owns | shared_with_their_group | shared_with_their_program)
rules.add_perm("goals.change_goal", owns)
rules.add_perm("goals.see_topics", takes_part_in_program)
rules.add_perm("goals.manage_topics", is_program_director)
rules.add_perm("goals.see_resource", is_group_member)
rules.add_perm("goals.remove_resource", is_group_member & posted)
