"""The home page, the dashboards and the program evaluation reports.

Thin views: each fetches its object through the one authorization layer, then calls a selector
or a service. Directors and evaluators see aggregates and reports; members see their own group.
"""

from __future__ import annotations

import hashlib

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from peermentor.core.audit import audit_record
from peermentor.core.authorization import allowed, get_for_user_or_404
from peermentor.core.figures_cache import KEEP_SECONDS, cached_figures
from peermentor.core.middleware import privately_kept
from peermentor.programs import selectors as programs
from peermentor.programs.access import group_for_content
from peermentor.programs.models import Program
from peermentor.reports import selectors, services
from peermentor.reports.figures import COLLABORATION_GROUPS_DRAWN
from peermentor.reports.forms import ConclusionsForm, ReportForm
from peermentor.reports.models import Report

# A stored report is a document of our own making: inline styles and inline SVG, no script.
DOCUMENT_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Next meetings, open actions, my groups and the programs I help run."""
    context = {
        "memberships": programs.memberships_current_for_user(user=request.user),
        "program_roles": programs.program_roles_for_user(user=request.user),
        "can_create_program": allowed(request.user, "programs.create_program"),
        **selectors.member_home(user=request.user),
    }
    return render(request, "reports/home.html", context)


def _program(request: HttpRequest, slug: str) -> Program:
    return get_for_user_or_404(request.user, Program, see="reports.see_dashboard", slug=slug)


@login_required
def program_figures(request: HttpRequest, slug: str) -> HttpResponse:
    """The program director's dashboard: aggregates only, small cells suppressed."""
    program = _program(request, slug)
    return render(
        request,
        "reports/program_dashboard.html",
        {"program": program, "figures_html": _figures_parts(program)["dashboard"]},
    )


@login_required
def program_figures_groups(request: HttpRequest, slug: str) -> HttpResponse:
    """Every group of the program with its figures (the dashboard lists a few only)."""
    program = _program(request, slug)
    return render(
        request,
        "reports/program_groups.html",
        {"program": program, "groups_html": _figures_parts(program)["groups"]},
    )


ROWS_SHOWN_OPEN = 12  # a longer table is not on the dashboard: the charts stay near


def _figures_parts(program: Program) -> dict[str, str]:
    """The dashboard's figures and the whole groups table, as HTML made at most every few
    minutes (``core.figures_cache``)."""
    return cached_figures(
        f"reports:director-figures:{program.pk}",
        lambda: _render_figures(program),
        fresh_seconds=selectors.DASHBOARD_SECONDS,
    )


def _chart_key(program: Program, name: str, digest: str) -> str:
    return f"reports:director-chart:{program.pk}:{name}:{digest}"


def _chart_digest(svg: str) -> str:
    return hashlib.sha256(svg.encode()).hexdigest()[:16]


def _render_figures(program: Program) -> dict[str, str]:
    """The figures' HTML: the dashboard's, and the whole groups table. Each chart is kept
    apart under an address that changes with its numbers, so that the page stays light and a
    browser keeps a chart while it is the same."""
    figures = selectors.director_dashboard(program=program)
    drawn = {
        "held": figures.held_svg,
        "attendance": figures.attendance_svg,
        "retention": figures.retention.svg,
        "productivity": figures.productivity_svg,
        "collaboration": figures.collaboration_svg,
        "waves": figures.waves_svg,
    }
    charts = {(name, _chart_digest(svg)): svg for name, svg in drawn.items() if svg}
    cache.set_many(
        {_chart_key(program, name, digest): svg for (name, digest), svg in charts.items()},
        KEEP_SECONDS,
    )
    chart_urls = {
        name: reverse("program_figures_chart", args=[program.slug, name, digest])
        for name, digest in charts
    }
    context = {
        "program": program,
        "d": figures,
        "chart_urls": chart_urls,
        "groups_url": reverse("program_figures_groups", args=[program.slug]),
        "small_cell": selectors.SMALL_CELL,
        "collaboration_drawn": COLLABORATION_GROUPS_DRAWN,
        "rows_open": ROWS_SHOWN_OPEN,
    }
    return {
        "dashboard": render_to_string("reports/partials/program_figures.html", context),
        "groups": render_to_string("reports/partials/program_groups_page.html", context),
    }


CHART_KEPT_SECONDS = 60 * 60  # a browser keeps a dashboard chart (aggregates only) an hour


@login_required
def program_figures_chart(request: HttpRequest, slug: str, name: str, digest: str) -> HttpResponse:
    """One chart of the dashboard as SVG, as drawn for the page that refers to it."""
    program = _program(request, slug)
    svg = cache.get(_chart_key(program, name, digest))
    if svg is None:
        raise Http404("That chart is no longer on the dashboard: reload the page.")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    return privately_kept(response, CHART_KEPT_SECONDS)


@login_required
def group_dashboard(request: HttpRequest, group_id: int) -> HttpResponse:
    """A group's own figures, for its members only."""
    group = group_for_content(request.user, group_id)
    return render(
        request,
        "reports/group_dashboard.html",
        {"group": group, **selectors.group_dashboard(group=group)},
    )


@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's reports, who made them and when, and the form to make another."""
    program = get_for_user_or_404(request.user, Program, see="reports.see_report", slug=slug)
    return render(
        request, "reports/report_list.html", _list_context(program, ReportForm(program=program))
    )


def _list_context(program: Program, form: ReportForm) -> dict[str, object]:
    reports = program.reports.select_related("group", "requested_by").defer(
        "html", "pdf", "content"
    )
    return {"program": program, "form": form, "reports": reports}


@login_required
@require_POST
def report_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue a new report and show its progress."""
    program = get_for_user_or_404(
        request.user, Program, see="reports.see_report", need="reports.make_report", slug=slug
    )
    form = ReportForm(request.POST, program=program)
    if not form.is_valid():
        return render(request, "reports/report_list.html", _list_context(program, form), status=400)
    try:
        report = services.report_request(
            program=program,
            group=form.cleaned_data["group"],
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
            actor=request.user,
        )
    except services.ReportError as error:
        form.add_error(None, str(error))
        return render(request, "reports/report_list.html", _list_context(program, form), status=400)
    return redirect("report_detail", report_id=report.pk)


def _report(request: HttpRequest, report_id: int, need: str | None = None) -> Report:
    return get_for_user_or_404(
        request.user,
        Report.objects.select_related("program", "group", "requested_by", "conclusions_by"),
        see="reports.see_report",
        need=need,
        pk=report_id,
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report's progress while it is made; then its files, preview and conclusions."""
    report = _report(request, report_id)
    form = ConclusionsForm(initial={"conclusions": report.conclusions})
    return render(request, "reports/report_detail.html", {"report": report, "form": form})


@login_required
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    """The progress fragment the detail page polls (htmx) until the report is finished."""
    report = _report(request, report_id)
    polling = bool(request.headers.get("HX-Request"))
    # The page polls for the fragment; opened on its own, the fragment comes in a whole page.
    template = "reports/%s.html" % ("partials/report_status" if polling else "report_status_page")
    response = render(request, template, {"report": report})
    if report.is_finished and polling:
        # The page was polling: reload it whole so the files and the conclusions form appear.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def report_conclusions(request: HttpRequest, report_id: int) -> HttpResponse:
    """Save the editors' conclusions; the files are made again with them."""
    report = _report(request, report_id, need="reports.make_report")
    form = ConclusionsForm(request.POST)
    if form.is_valid():
        try:
            services.report_conclusions_save(
                report=report, text=form.cleaned_data["conclusions"], actor=request.user
            )
            messages.success(request, "Conclusions saved; the files are being made again.")
        except services.ReportError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "; ".join(form.errors.get("conclusions", ["Not saved."])))
    return redirect("report_detail", report_id=report.pk)


@login_required
@csp(DOCUMENT_POLICY)
def report_file(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    """The finished report as HTML (shown in the browser) or PDF (downloaded)."""
    report = _report(request, report_id)
    if fmt not in {"html", "pdf"} or report.status != Report.Status.DONE:
        raise Http404
    audit_record(
        action="report.downloaded", actor=request.user, target=report, request=request, fmt=fmt
    )
    stem = f"evaluation-report-{report.program.slug}-{report.since:%Y%m%d}-{report.until:%Y%m%d}"
    if fmt == "html":
        response = HttpResponse(report.html, content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{stem}.html"'
    else:
        response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
