"""Pages for programs, groups, memberships, invitations and the charter."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from peermentor.accounts.forms import NewAccountForm
from peermentor.accounts.models import User
from peermentor.accounts.services import user_create
from peermentor.core.authorization import allowed, get_for_user_or_404, require
from peermentor.programs import selectors, services
from peermentor.programs.forms import (
    DEFAULT_CHARTER,
    CharterForm,
    GroupForm,
    InvitationForm,
    MembershipEndForm,
    MembershipRoleForm,
    ProgramForm,
)
from peermentor.programs.models import Charter, Group, Invitation, Membership, Program


def _get_program(request: HttpRequest, slug: str, need: str | None = None) -> Program:
    return get_for_user_or_404(
        request.user, Program, see="programs.see_program", need=need, slug=slug
    )


def _get_group(request: HttpRequest, group_id: int, need: str | None = None) -> Group:
    return get_for_user_or_404(
        request.user,
        Group.objects.select_related("program"),
        see="programs.see_group",
        need=need,
        pk=group_id,
    )


def _get_membership(request: HttpRequest, membership_id: int) -> Membership:
    return get_for_user_or_404(
        request.user,
        Membership.objects.select_related("group__program", "user"),
        see="programs.see_group",
        need="programs.manage_membership",
        pk=membership_id,
    )


def _form_error(form: Any, error: services.ProgramError) -> None:
    form.add_error(None, str(error))


# --- Home and programs -----------------------------------------------------------------------


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    """Start a new program; its creator becomes its director."""
    require(request.user, "programs.create_program")
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(creator=request.user, **form.cleaned_data)
        except services.ProgramError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{program} is ready. Add its first group.")
            return redirect("program_detail", slug=program.slug)
    return render(request, "programs/program_form.html", {"form": form})


@login_required
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A program's groups, people and open invitations."""
    program = _get_program(request, slug)
    context = {
        "program": program,
        "groups": selectors.groups_of_program(program=program),
        "staff": selectors.program_staff(program=program),
        "invitations": selectors.invitations_open(program=program),
        "can_manage": allowed(request.user, "programs.manage_program", program),
    }
    return render(request, "programs/program_detail.html", context)


@login_required
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a group to a program."""
    program = _get_program(request, slug, need="programs.manage_program")
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(program=program, actor=request.user, **form.cleaned_data)
        except services.ProgramError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{group} is created. Invite its members.")
            return redirect("invitation_create", slug=program.slug)
    return render(request, "programs/group_form.html", {"program": program, "form": form})


@login_required
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite a person by e-mail to a group, or to help run the program."""
    program = _get_program(request, slug, need="programs.manage_program")
    form = InvitationForm(
        request.POST or None, program=program, initial={"group": request.GET.get("group")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                program=program, invited_by=request.user, request=request, **form.cleaned_data
            )
        except services.ProgramError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("program_detail", slug=program.slug)
    context = {"program": program, "form": form, "days": settings.PEERMENTOR_INVITATION_DAYS}
    return render(request, "programs/invitation_form.html", context)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    """Withdraw an unused invitation."""
    program = _get_program(request, slug, need="programs.manage_program")
    invitation = get_for_user_or_404(
        request.user, program.invitations.all(), see="programs.manage_program", pk=invitation_id
    )
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
        messages.success(request, f"The invitation for {invitation.email} is withdrawn.")
    except services.ProgramError as error:
        messages.error(request, str(error))
    return redirect("program_detail", slug=program.slug)


# --- Groups and memberships ------------------------------------------------------------------


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    """Who is in the group; members also reach the group's own pages from here."""
    group = _get_group(request, group_id)
    context = {
        "group": group,
        "program": group.program,
        **selectors.group_memberships(group=group),
        "is_member": allowed(request.user, "programs.see_group_content", group),
        "can_manage": allowed(request.user, "programs.manage_membership", group),
        "role_form": MembershipRoleForm(),
    }
    return render(request, "programs/group_detail.html", context)


@login_required
@require_POST
def membership_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Change a member's role: member or senior mentor."""
    membership = _get_membership(request, membership_id)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            )
            messages.success(
                request, f"{membership.user} is now {membership.get_role_display().lower()}."
            )
        except services.ProgramError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Choose a role from the list.")
    return redirect("group_detail", group_id=membership.group_id)


@login_required
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Record that a member left the group, and why."""
    membership = _get_membership(request, membership_id)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(membership=membership, actor=request.user, **form.cleaned_data)
        except services.ProgramError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{membership.user} has left {membership.group}.")
            return redirect("group_detail", group_id=membership.group_id)
    context = {"membership": membership, "group": membership.group, "form": form}
    return render(request, "programs/membership_end.html", context)


# --- Charter ---------------------------------------------------------------------------------


@login_required
def charter(request: HttpRequest, group_id: int) -> HttpResponse:
    """The charter in force, the open proposal and how the members decide."""
    group = _get_group(request, group_id, need="programs.see_group_content")
    overview = selectors.charter_overview(group=group)
    proposal = overview["proposal"]
    member_count = group.memberships.filter(left_on__isnull=True).count()
    context = {
        "group": group,
        **overview,
        "tally": services.charter_tally(charter=proposal) if proposal else None,
        "my_decision": _my_decision(proposal, request.user),
        "member_count": member_count,
        "needed": member_count // 2 + 1,
    }
    return render(request, "programs/charter.html", context)


def _my_decision(proposal: Charter | None, user: User) -> str | None:
    if proposal is None:
        return None
    return next((d.decision for d in proposal.decisions.all() if d.user_id == user.pk), None)


@login_required
def charter_propose(request: HttpRequest, group_id: int) -> HttpResponse:
    """Propose a new version of the charter, starting from the one in force."""
    group = _get_group(request, group_id, need="programs.decide_charter")
    in_force = selectors.charter_overview(group=group)["in_force"]
    initial = (
        {f: getattr(in_force, f) for f in services.CHARTER_FIELDS}
        if in_force
        else (DEFAULT_CHARTER)
    )
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.charter_propose(group=group, proposer=request.user, data=form.cleaned_data)
        except services.ProgramError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Your proposal is open for the members to decide.")
            return redirect("charter", group_id=group.pk)
    return render(request, "programs/charter_form.html", {"group": group, "form": form})


@login_required
@require_POST
def charter_decide(request: HttpRequest, group_id: int, version: int) -> HttpResponse:
    """Approve or object to the open proposal."""
    group = _get_group(request, group_id, need="programs.decide_charter")
    proposal = get_for_user_or_404(
        request.user, group.charters.all(), see="programs.decide_charter", version=version
    )
    try:
        decided = services.charter_decide(
            charter=proposal, user=request.user, decision=request.POST.get("decision", "")
        )
        messages.success(request, _decision_message(decided))
    except services.ProgramError as error:
        messages.error(request, str(error))
    return redirect("charter", group_id=group.pk)


def _decision_message(charter: Charter) -> str:
    if charter.status == Charter.Status.ADOPTED:
        return f"Your decision is recorded. Version {charter.version} is now in force."
    if charter.status == Charter.Status.REJECTED:
        return f"Your decision is recorded. Version {charter.version} was not approved."
    return "Your decision is recorded."


@login_required
@require_POST
def charter_withdraw(request: HttpRequest, group_id: int, version: int) -> HttpResponse:
    """The proposer withdraws their open proposal."""
    group = _get_group(request, group_id, need="programs.decide_charter")
    proposal = get_for_user_or_404(
        request.user, group.charters.all(), see="programs.decide_charter", version=version
    )
    try:
        services.charter_withdraw(charter=proposal, user=request.user)
        messages.success(request, f"Version {proposal.version} is withdrawn.")
    except services.ProgramError as error:
        messages.error(request, str(error))
    return redirect("charter", group_id=group.pk)


# --- Accepting an invitation -----------------------------------------------------------------


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation link: create an account if needed, then join."""
    try:
        invitation = services.invitation_from_token(token=token)
    except services.ProgramError as error:
        return render(request, "programs/invitation_invalid.html", {"error": error}, status=400)
    if request.user.is_authenticated:
        return _accept_as_signed_in(request, invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(
            request,
            "programs/invitation_accept.html",
            {"invitation": invitation, "needs_sign_in": True},
        )
    return _accept_with_new_account(request, invitation)


def _accept_as_signed_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if request.method != "POST":
        return render(request, "programs/invitation_accept.html", {"invitation": invitation})
    try:
        services.invitation_accept(invitation=invitation, user=request.user, request=request)
    except services.ProgramError as error:
        messages.error(request, str(error))
        return render(request, "programs/invitation_accept.html", {"invitation": invitation})
    messages.success(request, f"Welcome to {invitation.group or invitation.program}.")
    return redirect("home")


def _accept_with_new_account(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = user_create(
                    email=invitation.email,
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password1"],
                )
                services.invitation_accept(invitation=invitation, user=user, request=request)
        except services.ProgramError as error:
            return render(request, "programs/invitation_invalid.html", {"error": error}, status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome to {invitation.group or invitation.program}. "
            "Tell your group a little about yourself.",
        )
        return redirect("profile")
    return render(
        request, "programs/invitation_accept.html", {"invitation": invitation, "form": form}
    )
