"""Pages of enrolment: calls and intake, formation runs and proposals, waitlist, cohorts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from peermentor.core.authorization import get_for_user_or_404
from peermentor.enrolment import selectors, services
from peermentor.enrolment.forms import (
    CallForm,
    CohortDecisionForm,
    CohortForm,
    FormationForm,
    IntakeForm,
    WaitlistOfferForm,
)
from peermentor.enrolment.models import Application, Call, Cohort, CohortGroup, FormationRun
from peermentor.programs.models import Program

SEE, MANAGE = "enrolment.see_call", "enrolment.manage_call"


def _program(request: HttpRequest, slug: str) -> Program:
    return get_for_user_or_404(
        request.user, Program, see="programs.see_program", need="programs.manage_program", slug=slug
    )


def _call(request: HttpRequest, call_id: int) -> Call:
    return get_for_user_or_404(
        request.user, Call.objects.select_related("program", "cohort"), see=SEE, need=MANAGE,
        pk=call_id,
    )  # fmt: skip


def _run(request: HttpRequest, run_id: int) -> FormationRun:
    return get_for_user_or_404(
        request.user, FormationRun.objects.select_related("call__program"), see=SEE, need=MANAGE,
        pk=run_id,
    )  # fmt: skip


def _cohort(request: HttpRequest, cohort_id: int) -> Cohort:
    return get_for_user_or_404(
        request.user, Cohort.objects.select_related("program"), see=SEE, need=MANAGE, pk=cohort_id
    )


def _cohort_group(request: HttpRequest, cohort_group_id: int) -> CohortGroup:
    return get_for_user_or_404(
        request.user, CohortGroup.objects.select_related("cohort__program", "group"), see=SEE,
        need=MANAGE, pk=cohort_group_id,
    )  # fmt: skip


# --- Director: calls -------------------------------------------------------------------------


@login_required
def call_list(request: HttpRequest, slug: str) -> HttpResponse:
    """A program's calls and cohorts: where enrolment starts."""
    program = _program(request, slug)
    context = {
        "program": program,
        "calls": selectors.calls_of_program(program=program),
        "cohorts": selectors.cohorts_of_program(program=program),
    }
    return render(request, "enrolment/call_list.html", context)


@login_required
def call_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Write a new call for participation (it starts as a draft)."""
    program = _program(request, slug)
    today = timezone.localdate()
    form = CallForm(request.POST or None, program=program, initial={"opens_on": today})
    if request.method == "POST" and form.is_valid():
        return _save_call(request, form, program, None)
    return render(request, "enrolment/call_form.html", {"program": program, "form": form})


@login_required
def call_edit(request: HttpRequest, call_id: int) -> HttpResponse:
    """Change a call's text, dates, intake questions or group sizes."""
    call = _call(request, call_id)
    initial = CallForm.initial_for(call)
    form = CallForm(request.POST or None, program=call.program, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _save_call(request, form, call.program, call)
    context = {"program": call.program, "form": form, "call": call}
    return render(request, "enrolment/call_form.html", context)


def _save_call(request: HttpRequest, form: CallForm, program: Program, call: Call | None) -> Any:
    try:
        call = services.call_save(
            program=program, actor=request.user, call=call, **form.call_fields()
        )
    except services.EnrolmentError as error:
        form.add_error(None, str(error))
        return render(request, "enrolment/call_form.html", {"program": program, "form": form})
    messages.success(request, f"“{call}” is saved.")
    return redirect("call_manage", call_id=call.pk)


@login_required
def call_manage(request: HttpRequest, call_id: int) -> HttpResponse:
    """A call at a glance: its public link, applications, formation runs and next step."""
    call = _call(request, call_id)
    context = {
        "call": call,
        "program": call.program,
        "counts": selectors.calls_of_program(program=call.program).get(pk=call.pk),
        "runs": call.runs.all()[:10],
        "accepting": services.call_is_accepting(call),
        "statuses": Call.Status.choices,
    }
    return render(request, "enrolment/call_manage.html", context)


@login_required
@require_POST
def call_set_status(request: HttpRequest, call_id: int) -> HttpResponse:
    """Open, close or reopen a call."""
    call = _call(request, call_id)
    try:
        services.call_set_status(
            call=call, status=request.POST.get("status", ""), actor=request.user
        )
    except services.EnrolmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The call is now: {call.get_status_display().lower()}.")
    return redirect("call_manage", call_id=call.pk)


@login_required
def application_list(request: HttpRequest, call_id: int) -> HttpResponse:
    """Every application with its intake answers: for the program's directors only."""
    call = _call(request, call_id)
    context = {"call": call, "applications": selectors.applications_of_call(call=call)}
    return render(request, "enrolment/application_list.html", context)


# --- Director: formation ---------------------------------------------------------------------


@login_required
def formation_start(request: HttpRequest, call_id: int) -> HttpResponse:
    """Choose sizes and a time limit, and start forming groups."""
    call = _call(request, call_id)
    initial = {"min_size": call.min_size, "max_size": call.max_size, "seconds": 10,
               "senior_per_group": call.senior_per_group}  # fmt: skip
    form = FormationForm(request.POST or None, initial=initial)
    waiting = len(selectors.eligible_applications(call=call))
    if request.method == "POST" and form.is_valid():
        try:
            run = services.formation_start(call=call, actor=request.user, **form.cleaned_data)
        except services.EnrolmentError as error:
            form.add_error(None, str(error))
        else:
            return redirect("formation_run", run_id=run.pk)
    context = {"call": call, "form": form, "waiting": waiting}
    return render(request, "enrolment/formation_form.html", context)


@login_required
def formation_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run: its progress while it works, then the proposed groups and why."""
    run = _run(request, run_id)
    context = {"run": run, "call": run.call, "proposal": selectors.proposal(run=run),
               **_progress(run)}  # fmt: skip
    return render(request, "enrolment/formation_run.html", context)


def _progress(run: FormationRun) -> dict[str, Any]:
    if run.started_at is None:
        return {"percent": 0, "waiting": True}
    elapsed = (timezone.now() - run.started_at).total_seconds()
    return {"percent": min(99, int(100 * elapsed / max(run.seconds, 0.1))), "waiting": False}


@login_required
def formation_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress bar (htmx polls it); a finished run asks the page to reload. Opened on its
    own, it sends the person to the run's page, which shows the same bar in a whole page."""
    run = _run(request, run_id)
    if not request.headers.get("HX-Request"):
        return redirect("formation_run", run_id=run.pk)
    if run.status not in (FormationRun.Status.QUEUED, FormationRun.Status.RUNNING):
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    context = {"run": run, **_progress(run)}
    return render(request, "enrolment/partials/progress.html", context)


def _application_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("application", ""))
    except ValueError as error:
        raise Http404 from error


@login_required
@require_POST
def formation_move(request: HttpRequest, run_id: int) -> HttpResponse:
    """Move a person to another proposed group (and pin them there), or to the waitlist."""
    run = _run(request, run_id)
    person = _application_id(request)
    target = request.POST.get("target", "")
    try:
        services.formation_move(
            run=run,
            application_id=person,
            target=None if target == "waitlist" else int(target) - 1,
            actor=request.user,
        )
    except (ValueError, services.EnrolmentError) as error:
        messages.error(request, str(error) if isinstance(error, services.EnrolmentError) else
                       "Choose a group or the waitlist.")  # fmt: skip
    else:
        messages.success(request, "Moved. Re-optimise to rearrange the others around the pins.")
    return redirect("formation_run", run_id=run.pk)


@login_required
@require_POST
def formation_pin(request: HttpRequest, run_id: int) -> HttpResponse:
    """Pin a person to their proposed group, or unpin them."""
    run = _run(request, run_id)
    try:
        services.formation_pin(
            run=run,
            application_id=_application_id(request),
            pinned=request.POST.get("pinned") == "1",
            actor=request.user,
        )
    except services.EnrolmentError as error:
        messages.error(request, str(error))
    return redirect("formation_run", run_id=run.pk)


@login_required
@require_POST
def formation_reoptimise(request: HttpRequest, run_id: int) -> HttpResponse:
    """Form the groups again with the same people, keeping everyone pinned where they are."""
    run = _run(request, run_id)
    try:
        new = services.formation_reoptimise(run=run, actor=request.user)
    except services.EnrolmentError as error:
        messages.error(request, str(error))
        return redirect("formation_run", run_id=run.pk)
    return redirect("formation_run", run_id=new.pk)


@login_required
@require_POST
def formation_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    """Create the groups, their memberships and invitations; the others join the waitlist."""
    run = _run(request, run_id)
    try:
        created = services.formation_publish(run=run, actor=request.user, request=request)
    except services.EnrolmentError as error:
        messages.error(request, str(error))
        return redirect("formation_run", run_id=run.pk)
    polls = sum(1 for cg in created if cg.poll_id)
    messages.success(
        request,
        f"{len(created)} groups are published. Members with an account have joined; the others "
        f"have an invitation by e-mail. {polls} groups have a first poll with their common times.",
    )
    return redirect("cohort_detail", cohort_id=created[0].cohort_id)


# --- Director: waitlist ----------------------------------------------------------------------


@login_required
def waitlist(request: HttpRequest, call_id: int) -> HttpResponse:
    """Waitlisted applicants in order of application, and groups with a place left."""
    call = _call(request, call_id)
    rooms = selectors.groups_with_room(call=call)
    context = {
        "call": call,
        "waiting": selectors.waitlist(call=call),
        "rooms": rooms,
        "form": WaitlistOfferForm(rooms=rooms),
    }
    return render(request, "enrolment/waitlist.html", context)


@login_required
@require_POST
def waitlist_offer(request: HttpRequest, application_id: int) -> HttpResponse:
    """Offer a waitlisted applicant a place in a group with room."""
    application = get_for_user_or_404(
        request.user, Application.objects.select_related("call__program", "user"), see=SEE,
        need=MANAGE, pk=application_id,
    )  # fmt: skip
    form = WaitlistOfferForm(request.POST, rooms=selectors.groups_with_room(call=application.call))
    if not form.is_valid():
        messages.error(request, "Choose a group with a place left.")
        return redirect("waitlist", call_id=application.call_id)
    try:
        services.waitlist_offer(
            application=application, cohort_group=form.chosen(), actor=request.user,
            request=request,
        )  # fmt: skip
    except services.EnrolmentError as error:
        messages.error(request, str(error))
    else:
        verb = "joined" if application.user_id else "is invited to"
        messages.success(request, f"{application.name} {verb} {application.group}.")
    return redirect("waitlist", call_id=application.call_id)


# --- Director: cohorts -----------------------------------------------------------------------


@login_required
def cohort_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a cohort (a term) for groups to run in."""
    program = _program(request, slug)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(
                program=program, actor=request.user, **form.cleaned_data
            )
        except services.EnrolmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Cohort “{cohort}” is created.")
            return redirect("cohort_detail", cohort_id=cohort.pk)
    return render(request, "enrolment/cohort_form.html", {"program": program, "form": form})


@login_required
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """A cohort's groups, and at the end of the term: renew, close or release each one."""
    cohort = _cohort(request, cohort_id)
    rows = [
        (cg, CohortDecisionForm(cohort=cohort, prefix=f"g{cg.pk}"))
        for cg in selectors.cohort_groups(cohort=cohort)
    ]
    context = {"cohort": cohort, "program": cohort.program, "rows": rows}
    return render(request, "enrolment/cohort_detail.html", context)


@login_required
@require_POST
def cohort_group_decide(request: HttpRequest, cohort_group_id: int) -> HttpResponse:
    """Renew, close or release one group at the end of its term."""
    cohort_group = _cohort_group(request, cohort_group_id)
    form = CohortDecisionForm(
        request.POST, cohort=cohort_group.cohort, prefix=f"g{cohort_group.pk}"
    )
    if not form.is_valid():
        messages.error(request, f"{cohort_group.group}: choose renew, close or release.")
        return redirect("cohort_detail", cohort_id=cohort_group.cohort_id)
    try:
        services.cohort_group_decide(
            cohort_group=cohort_group, actor=request.user, **form.cleaned_data
        )
    except services.EnrolmentError as error:
        messages.error(request, f"{cohort_group.group}: {error}")
    else:
        messages.success(request, f"{cohort_group.group}: {cohort_group.get_status_display()}.")
    return redirect("cohort_detail", cohort_id=cohort_group.cohort_id)


@login_required
@require_POST
def cohort_group_poll(request: HttpRequest, cohort_group_id: int) -> HttpResponse:
    """Open a group's first poll with its common times, once a member has joined."""
    cohort_group = _cohort_group(request, cohort_group_id)
    if services.cohort_group_seed_poll(cohort_group=cohort_group, actor=request.user):
        messages.success(request, f"{cohort_group.group} has its first poll.")
    else:
        messages.error(
            request,
            f"{cohort_group.group}: no member has joined yet, or the members share no time.",
        )
    return redirect("cohort_detail", cohort_id=cohort_group.cohort_id)


# --- Applicants ------------------------------------------------------------------------------


def _public_call(slug: str) -> Call:
    call = Call.objects.select_related("program").filter(slug=slug).first()
    if call is None or call.status == Call.Status.DRAFT:
        raise Http404
    return call


def call_public(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page of a call: anyone may read it, no account needed."""
    call = _public_call(slug)
    mine = selectors.application_of_user(call=call, user=request.user)
    context = {
        "call": call,
        "accepting": services.call_is_accepting(call),
        "mine": mine,
        "mine_token": services.application_token(mine) if mine else None,
    }
    return render(request, "enrolment/call_public.html", context)


def call_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """The intake form; without an account, a name and an e-mail address are asked."""
    call = _public_call(slug)
    if not services.call_is_accepting(call):
        return render(request, "enrolment/call_public.html", {"call": call, "accepting": False})
    form = IntakeForm(request.POST or None, call=call, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            application = services.application_submit(
                call=call, user=user, answers=form.answers(), request=request
            )
        except services.EnrolmentError as error:
            form.add_error(None, str(error))
        else:
            return redirect("application_status", token=services.application_token(application))
    return render(request, "enrolment/intake_form.html", {"call": call, "form": form})


def _by_token(token: str) -> Application:
    try:
        return services.application_from_token(token)
    except services.EnrolmentError as error:
        raise Http404 from error


def application_status(request: HttpRequest, token: str) -> HttpResponse:
    """An applicant's own application: its state, their answers, confirm and withdraw."""
    application = _by_token(token)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        services.application_confirm(application=application)
        messages.success(request, "Your application is confirmed.")
        return redirect("application_status", token=token)
    context = {
        "application": application,
        "call": application.call,
        "token": token,
        "status": selectors.display_status(application),
        "can_withdraw": application.status
        in (Application.Status.APPLIED, Application.Status.WAITLISTED, Application.Status.OFFERED),
    }
    return render(request, "enrolment/application_status.html", context)


@require_POST
def application_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant withdraws their application (an open offer is withdrawn with it)."""
    application = _by_token(token)
    user = request.user if request.user.is_authenticated else None
    try:
        services.application_withdraw(application=application, actor=user)
    except services.EnrolmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your application is withdrawn.")
    return redirect("application_status", token=token)
