"""Pages for works: import, the claim queue, career events, a group's productivity and
collaboration, and a program's aggregate figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from peermentor.accounts.models import User
from peermentor.core import charts
from peermentor.core.authorization import get_for_user_or_404
from peermentor.programs.access import group_for_content
from peermentor.programs.models import Group, Program
from peermentor.scholarship import selectors, services
from peermentor.scholarship.forms import CareerEventForm, WorksFileForm
from peermentor.scholarship.models import Authorship, CareerEvent
from peermentor.scholarship.records import WorkFileError


def _match_scope(user: User) -> list[User]:
    """Members of the programs the person takes part in: whose works a file may hold."""
    programs = Group.objects.filter(memberships__user=user).values("program_id")
    return list(
        User.objects.filter(memberships__group__program_id__in=programs)
        .select_related("profile")
        .distinct()
    )


@login_required
def works_mine(request: HttpRequest) -> HttpResponse:
    """My works, my career events, and importing more."""
    return render(
        request,
        "scholarship/works_mine.html",
        {
            "works": selectors.my_works(user=request.user),
            "pending": selectors.claim_queue(user=request.user).count(),
            "events": selectors.career_events(user=request.user),
            "form": WorksFileForm(),
            "event_form": CareerEventForm(),
        },
    )


@login_required
@require_POST
def works_import(request: HttpRequest) -> HttpResponse:
    """Import a file of works: all or nothing, with a report of every record."""
    form = WorksFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file of works to import.")
        return redirect("works_mine")
    upload = form.cleaned_data["file"]
    try:
        report = services.works_import(
            data=upload.read(),
            filename=upload.name,
            actor=request.user,
            members=_match_scope(request.user),
            dry_run=form.cleaned_data["dry_run"],
        )
    except WorkFileError as error:
        return render(request, "scholarship/import_report.html", {"error": str(error)}, status=400)
    return render(request, "scholarship/import_report.html", {"report": report})


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    """Works matched to me by name only: nothing counts until I say "this is me"."""
    return render(
        request, "scholarship/claims.html", {"queue": selectors.claim_queue(user=request.user)}
    )


@login_required
@require_POST
def claim_decide(request: HttpRequest, authorship_id: int) -> HttpResponse:
    """Confirm or reject one name-only match."""
    authorship = get_for_user_or_404(
        request.user,
        Authorship.objects.select_related("work"),
        see="scholarship.claim",
        pk=authorship_id,
    )
    confirm = request.POST.get("decision") == "mine"
    services.claim_decide(authorship=authorship, user=request.user, confirm=confirm)
    messages.success(request, "Added to your works." if confirm else "Noted: that is someone else.")
    return redirect("claims")


@login_required
@require_POST
def career_add(request: HttpRequest) -> HttpResponse:
    """Record a promotion, award or leadership role."""
    form = CareerEventForm(request.POST)
    if form.is_valid():
        services.career_event_add(user=request.user, **form.cleaned_data)
        messages.success(request, "Career event recorded.")
    else:
        messages.error(request, "A career event needs a kind, a title and a date.")
    return redirect("works_mine")


@login_required
@require_POST
def career_remove(request: HttpRequest, event_id: int) -> HttpResponse:
    """Remove one of my career events."""
    event = get_for_user_or_404(
        request.user, CareerEvent, see="scholarship.change_event", pk=event_id
    )
    services.career_event_remove(event=event, user=request.user)
    return redirect("works_mine")


@login_required
def group_works(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's productivity before and during membership, and its collaboration."""
    group = group_for_content(request.user, group_id)
    window = selectors.Window.from_query(request.GET)
    data = selectors.group_scholarship(group=group, window=window)
    return render(
        request,
        "scholarship/group_works.html",
        {"group": group, "data": data, "window": window, **_group_charts(data)},
    )


def _group_charts(data: selectors.GroupScholarship) -> dict[str, str]:
    result = {}
    if data.per_year:
        years = [str(year) for year, _ in data.per_year]
        result["per_year_chart"] = charts.data_uri(
            charts.grouped_bars(
                years, {"Works": [n for _, n in data.per_year]}, ylabel="Works per year"
            )
        )
    if data.edges:
        result["network_chart"] = charts.data_uri(
            charts.network(
                data.names, data.positions, data.edges, new=data.network_summary["new_ties"]
            )
        )
    return result


@login_required
def program_productivity(request: HttpRequest, slug: str) -> HttpResponse:
    """Aggregate productivity of the program for directors and evaluators; small cells hidden."""
    program = get_for_user_or_404(
        request.user, Program, see="scholarship.see_program_figures", slug=slug
    )
    window = selectors.Window.from_query(request.GET)
    figures = selectors.program_scholarship_cached(program=program, window=window)
    return render(request, "scholarship/program_productivity.html", {"program": program, **figures})
