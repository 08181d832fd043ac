"""Reads that gather what a person needs next from every app they take part in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.goals import selectors as goals
from peermentor.meetings.models import ActionItem, Meeting


def next_meetings_for(*, user: User, limit: int = 5) -> QuerySet[Meeting]:
    """The person's next scheduled meetings across their current groups."""
    return (
        Meeting.objects.filter(
            group__memberships__user=user,
            group__memberships__left_on__isnull=True,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=timezone.now() - dt.timedelta(hours=3),
        )
        .select_related("group")
        .order_by("starts_at")[:limit]
    )


def open_actions_for(*, user: User) -> QuerySet[ActionItem]:
    """Commitments the person still has open in their current groups."""
    return (
        ActionItem.objects.filter(
            owner=user,
            status=ActionItem.Status.OPEN,
            group__memberships__user=user,
            group__memberships__left_on__isnull=True,
        )
        .select_related("group")
        .order_by("due_on", "id")
    )


def member_home(*, user: User) -> dict[str, Any]:
    """What the member's home page shows besides their groups."""
    return {
        "next_meetings": next_meetings_for(user=user),
        "open_actions": open_actions_for(user=user),
        "goals_due": goals.my_goals(user=user).due_soon,
        "deadlines": goals.deadlines_for(user=user),
    }
