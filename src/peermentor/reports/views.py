"""The home page: what the signed-in person needs to do next, from every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peermentor.core.authorization import allowed, get_for_user_or_404
from peermentor.goals import selectors as goals
from peermentor.programs import selectors as programs
from peermentor.programs.models import Program
from peermentor.reports.selectors import member_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Next meetings, open actions, my groups and the programs I help run."""
    context = {
        "memberships": programs.memberships_current_for_user(user=request.user),
        "program_roles": programs.program_roles_for_user(user=request.user),
        "can_create_program": allowed(request.user, "programs.create_program"),
        **member_home(user=request.user),
    }
    return render(request, "reports/home.html", context)


@login_required
def program_figures(request: HttpRequest, slug: str) -> HttpResponse:
    """Aggregate figures of a program for its directors and evaluators: counts, never text."""
    program = get_for_user_or_404(request.user, Program, see="programs.see_program", slug=slug)
    return render(
        request,
        "reports/program_figures.html",
        {
            "program": program,
            "goal_counts": goals.goal_counts(program=program),
            "small_cell": goals.SMALL_CELL,
        },
    )
