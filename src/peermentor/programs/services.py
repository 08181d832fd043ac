"""Writes for programs, groups, memberships, invitations and charters."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from peermentor.accounts.models import User
from peermentor.core.audit import audit_record
from peermentor.programs.models import (
    Charter,
    CharterDecision,
    Group,
    Invitation,
    MemberRole,
    Membership,
    Program,
    ProgramRole,
)
from peermentor.programs.selectors import is_current_member

INVITATION_SALT = "peermentor.programs.invitation"
GROUP_ROLES = {Invitation.Role.MEMBER, Invitation.Role.SENIOR_MENTOR}


class ProgramError(Exception):
    """A request that the rules of programs, groups or charters do not allow; says why."""


# --- Programs and groups ---------------------------------------------------------------------


def program_create(
    *, name: str, slug: str = "", description: str = "", creator: User, is_demo: bool = False
) -> Program:
    """Create a program; its creator becomes its first director."""
    slug = slug or slugify(name)[:60]
    if Program.objects.filter(slug=slug).exists():
        raise ProgramError(f"The web address “{slug}” is taken; choose another.")
    with transaction.atomic():
        program = Program.objects.create(
            name=name, slug=slug, description=description, is_demo=is_demo
        )
        ProgramRole.objects.create(program=program, user=creator, role=ProgramRole.Role.DIRECTOR)
        audit_record(action="program.created", actor=creator, target=program)
    return program


def program_role_grant(
    *, program: Program, user: User, role: str, actor: User | None
) -> ProgramRole:
    """Make a person a director or evaluator of a program (no-op when they are already)."""
    program_role, created = ProgramRole.objects.get_or_create(program=program, user=user, role=role)
    if created:
        audit_record(
            action="program.role_granted", actor=actor, target=program, user_id=user.pk, role=role
        )
    return program_role


def group_create(
    *, program: Program, name: str, time_zone: str, formed_on: dt.date, actor: User
) -> Group:
    """Create a group in a program."""
    if Group.objects.filter(program=program, name__iexact=name).exists():
        raise ProgramError(f"This program has a group called “{name}” already.")
    with transaction.atomic():
        group = Group.objects.create(
            program=program, name=name, time_zone=time_zone, formed_on=formed_on
        )
        audit_record(action="group.created", actor=actor, target=group)
    return group


# --- Memberships -----------------------------------------------------------------------------


def membership_add(
    *, group: Group, user: User, role: str, joined_on: dt.date, actor: User | None
) -> Membership:
    """Add a person to a group; refuses a second current membership of the same group."""
    if Membership.objects.filter(group=group, user=user, left_on__isnull=True).exists():
        raise ProgramError(f"{user} is already a member of {group}.")
    with transaction.atomic():
        membership = Membership.objects.create(
            group=group, user=user, role=role, joined_on=joined_on
        )
        audit_record(action="membership.added", actor=actor, target=membership, role=role)
    return membership


def membership_set_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Change a current member's role in their group (member or senior mentor)."""
    if role not in MemberRole.values:
        raise ProgramError(f"“{role}” is not a group role.")
    if not membership.is_current:
        raise ProgramError("This person has left the group; their role can no longer change.")
    with transaction.atomic():
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            action="membership.role_changed",
            actor=actor,
            target=membership,
            previous=previous,
            role=role,
        )
    return membership


def membership_end(
    *, membership: Membership, left_on: dt.date, reason: str, actor: User
) -> Membership:
    """Record that a member left the group, keeping the membership for retention figures."""
    if not membership.is_current:
        raise ProgramError("This person has already left the group.")
    if left_on < membership.joined_on:
        raise ProgramError("The leaving date is before the date they joined.")
    with transaction.atomic():
        membership.left_on = left_on
        membership.leave_reason = reason
        membership.save(update_fields=["left_on", "leave_reason"])
        audit_record(action="membership.ended", actor=actor, target=membership, reason=reason)
    return membership


# --- Invitations -----------------------------------------------------------------------------


def _pending_invitations(*, program: Program, group: Group | None, email: str) -> Any:
    return Invitation.objects.filter(
        program=program,
        group=group,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def _check_invitation_target(
    *, program: Program, group: Group | None, email: str, role: str
) -> None:
    if role in GROUP_ROLES and group is None:
        raise ProgramError("Choose the group this member joins.")
    if role not in GROUP_ROLES and group is not None:
        raise ProgramError("Directors and evaluators join the program, not a group.")
    if group is not None and group.program_id != program.pk:
        raise ProgramError("That group belongs to another program.")
    if _pending_invitations(program=program, group=group, email=email).exists():
        raise ProgramError(f"{email} has an open invitation already; revoke it to send a new one.")
    if (
        group is not None
        and Membership.objects.filter(group=group, user__email=email, left_on__isnull=True).exists()
    ):
        raise ProgramError(f"{email} is already a member of {group}.")


def invitation_create(
    *,
    program: Program,
    group: Group | None,
    email: str,
    role: str,
    invited_by: User,
    request: HttpRequest | None = None,
) -> Invitation:
    """Create an invitation and send its link by e-mail once the transaction commits."""
    from peermentor.programs.tasks import send_invitation_email

    email = email.strip().lower()
    _check_invitation_target(program=program, group=group, email=email, role=role)
    days = settings.PEERMENTOR_INVITATION_DAYS
    with transaction.atomic():
        invitation = Invitation.objects.create(
            program=program,
            group=group,
            email=email,
            role=role,
            invited_by=invited_by,
            nonce=secrets.token_urlsafe(32),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit_record(
            action="invitation.created",
            actor=invited_by,
            target=invitation,
            request=request,
            role=role,
            group_id=group.pk if group else None,
        )
        transaction.on_commit(lambda: send_invitation_email.enqueue(invitation_id=invitation.pk))
    return invitation


def invitation_token(*, invitation: Invitation) -> str:
    """The signed token that makes up the invitation link."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


def invitation_from_token(*, token: str) -> Invitation:
    """The invitation a link stands for, or ProgramError saying why the link cannot be used."""
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
        invitation = Invitation.objects.select_related("program", "group").get(
            pk=payload["i"], nonce=payload["n"]
        )
    except (signing.BadSignature, KeyError, TypeError, Invitation.DoesNotExist) as error:
        raise ProgramError(
            "This invitation link is not valid. Check that you copied the whole link, or ask "
            "the program director for a new invitation."
        ) from error
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise ProgramError("This invitation has been used already. Sign in to reach your group.")
    if invitation.revoked_at is not None:
        raise ProgramError("This invitation was withdrawn by the program director.")
    if invitation.expires_at <= timezone.now():
        raise ProgramError(
            "This invitation has expired. Ask the program director to send you a new one."
        )


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an invitation that has not been used."""
    if invitation.accepted_at is not None:
        raise ProgramError("This invitation has been accepted; end the membership instead.")
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(action="invitation.revoked", actor=actor, target=invitation)
    return invitation


def invitation_accept(
    *, invitation: Invitation, user: User, request: HttpRequest | None = None
) -> Invitation:
    """Use an invitation: the person joins the group, or takes their role in the program."""
    if user.email.lower() != invitation.email.lower():
        raise ProgramError(
            f"This invitation was sent to {invitation.email}, but you are signed in as "
            f"{user.email}. Sign out and open the link again."
        )
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _check_usable(locked)
        _grant_invited_role(invitation=locked, user=user)
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(action="invitation.accepted", actor=user, target=locked, request=request)
    return locked


def _grant_invited_role(*, invitation: Invitation, user: User) -> None:
    if invitation.group is not None:
        membership_add(
            group=invitation.group,
            user=user,
            role=invitation.role,
            joined_on=timezone.localdate(),
            actor=user,
        )
    else:
        program_role_grant(program=invitation.program, user=user, role=invitation.role, actor=user)


# --- Charter ---------------------------------------------------------------------------------

CHARTER_FIELDS = (
    "meeting_format",
    "cadence_weeks",
    "meeting_minutes",
    "goals",
    "norms",
    "confidentiality",
    "uses_senior_mentor",
    "senior_mentor_required",
    "uses_facilitator_rota",
    "personal_checkin_minutes",
)


def _require_member(group: Group, user: User) -> None:
    if not is_current_member(group=group, user=user):
        raise ProgramError("Only the group's members decide its charter.")


def charter_propose(*, group: Group, proposer: User, data: dict[str, Any]) -> Charter:
    """Propose a charter version; the proposer's approval counts at once."""
    _require_member(group, proposer)
    try:
        with transaction.atomic():
            last = group.charters.aggregate(last=Max("version"))["last"] or 0
            charter = Charter.objects.create(
                group=group,
                version=last + 1,
                proposed_by=proposer,
                **{field: data[field] for field in CHARTER_FIELDS},
            )
            audit_record(
                action="charter.proposed", actor=proposer, target=charter, version=charter.version
            )
            _decide(charter=charter, user=proposer, decision=CharterDecision.Decision.APPROVE)
    except IntegrityError as error:
        raise ProgramError(
            "A charter proposal is open already: decide on it (or its proposer withdraws it) "
            "before proposing another."
        ) from error
    return charter


def charter_decide(*, charter: Charter, user: User, decision: str) -> Charter:
    """Record a member's approval or objection and settle the proposal when the rule is met."""
    _require_member(charter.group, user)
    with transaction.atomic():
        locked = Charter.objects.select_for_update().get(pk=charter.pk)
        if locked.status != Charter.Status.PROPOSED:
            raise ProgramError("This proposal is no longer open.")
        _decide(charter=locked, user=user, decision=decision)
    return locked


def charter_withdraw(*, charter: Charter, user: User) -> Charter:
    """Withdraw an open proposal; only the member who proposed it may."""
    if charter.proposed_by_id != user.pk:
        raise ProgramError("Only the member who proposed this version may withdraw it.")
    if charter.status != Charter.Status.PROPOSED:
        raise ProgramError("This proposal is no longer open.")
    with transaction.atomic():
        charter.status = Charter.Status.WITHDRAWN
        charter.decided_at = timezone.now()
        charter.save(update_fields=["status", "decided_at"])
        audit_record(action="charter.withdrawn", actor=user, target=charter)
    return charter


def _decide(*, charter: Charter, user: User, decision: str) -> None:
    if decision not in CharterDecision.Decision.values:
        raise ProgramError(f"“{decision}” is not a decision; approve or object.")
    CharterDecision.objects.update_or_create(
        charter=charter, user=user, defaults={"decision": decision}
    )
    audit_record(action="charter.decided", actor=user, target=charter, decision=decision)
    _settle(charter)


def charter_tally(*, charter: Charter) -> dict[str, int]:
    """Approvals and objections by current members, the group size and the approvals needed."""
    members = set(
        Membership.objects.filter(group_id=charter.group_id, left_on__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    decisions = [d for d in charter.decisions.all() if d.user_id in members]
    approvals = sum(d.decision == CharterDecision.Decision.APPROVE for d in decisions)
    objections = len(decisions) - approvals
    return {
        "members": len(members),
        "approvals": approvals,
        "objections": objections,
        "needed": len(members) // 2 + 1,
    }


def _settle(charter: Charter) -> None:
    """Adopt when more than half of the current members approve; reject when that cannot happen."""
    tally = charter_tally(charter=charter)
    if tally["approvals"] >= tally["needed"]:
        Charter.objects.filter(group_id=charter.group_id, status=Charter.Status.ADOPTED).update(
            status=Charter.Status.SUPERSEDED
        )
        _close(charter, Charter.Status.ADOPTED)
    elif tally["members"] - tally["objections"] < tally["needed"]:
        _close(charter, Charter.Status.REJECTED)


def _close(charter: Charter, status: str) -> None:
    charter.status = status
    charter.decided_at = timezone.now()
    charter.save(update_fields=["status", "decided_at"])
    audit_record(action=f"charter.{status}", actor=None, target=charter, version=charter.version)
