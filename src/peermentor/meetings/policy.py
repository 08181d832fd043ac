"""Who may see and change meetings, polls, agendas, notes, actions and attendance.

Everything here is group-private: only current members of the group see it or change it. The
program director and evaluators get nothing (DESIGN.md §2). Objects are reached through their
group, with the permissions of ``programs.policy``.
"""

from __future__ import annotations

from typing import Any

import rules

from peermentor.programs.policy import is_group_member


@rules.predicate
def is_feed_owner(user: Any, feed: Any) -> bool:
    """The calendar feed belongs to the person."""
    return bool(user.is_authenticated and feed is not None and feed.user_id == user.pk)


rules.add_perm("meetings.see", is_group_member)
rules.add_perm("meetings.change", is_group_member)
rules.add_perm("meetings.manage_feed", is_feed_owner)
