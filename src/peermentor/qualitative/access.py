"""Fetching what the workbench shows: the rule, stated once for every workbench page."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from peermentor.core.authorization import get_for_user_or_404
from peermentor.programs.models import Program

# Directors see that the program exists (403 on the workbench); everyone else learns nothing (404).
SEE = "programs.see_program"
USE = "qualitative.use_workbench"


def workbench_program(user: Any, slug: str) -> Program:
    """The program when the person is on its evaluation team."""
    return get_for_user_or_404(user, Program, see=SEE, need=USE, slug=slug)


def workbench_object(user: Any, queryset: QuerySet[Any], **lookup: Any) -> Model:
    """An object of the workbench (its queryset carries ``program``), under the same rule."""
    return get_for_user_or_404(user, queryset, see=SEE, need=USE, **lookup)
