"""Fetching a group for the pages that show its private content: the rule, stated once."""

from __future__ import annotations

from typing import Any

from peermentor.core.authorization import get_for_user_or_404
from peermentor.programs.models import Group


def group_for_content(user: Any, group_id: int) -> Group:
    """The group when the person may read its content: 404 to outsiders, 403 to its director."""
    return get_for_user_or_404(
        user,
        Group.objects.select_related("program"),
        see="programs.see_group",
        need="programs.see_group_content",
        pk=group_id,
    )
