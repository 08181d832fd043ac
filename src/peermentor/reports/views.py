"""The home page: what the signed-in person needs to do next, from every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peermentor.core.authorization import allowed
from peermentor.programs import selectors as programs
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
