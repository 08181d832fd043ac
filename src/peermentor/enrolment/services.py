"""Writes for enrolment: calls, applications, formation runs, publishing, waitlist, cohorts."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from peermentor.accounts.models import User
from peermentor.core.audit import audit_record
from peermentor.enrolment import selectors
from peermentor.enrolment.models import (
    SLOTS,
    Application,
    Call,
    Cohort,
    CohortGroup,
    FormationRun,
)
from peermentor.meetings import services as meetings
from peermentor.programs import services as programs
from peermentor.programs.formation import (
    FormationError,
    FormationRequest,
    form_groups,
    slot_key,
)
from peermentor.programs.models import Group, LeaveReason, MemberRole, Program

_TOKEN_SALT = "peermentor.enrolment.application"  # noqa: S105 -- a salt, not a secret
MAX_SECONDS = 120
POLL_OPTIONS = 12
POLL_DAYS = 7


class EnrolmentError(Exception):
    """A request the rules of enrolment do not allow; the message says what and why."""


# --- Calls -----------------------------------------------------------------------------------

CALL_FIELDS = (
    "title",
    "description",
    "opens_on",
    "closes_on",
    "interests",
    "balance_categories",
    "min_size",
    "max_size",
    "senior_per_group",
    "time_zone",
    "cohort",
)


def call_save(*, program: Program, actor: User, call: Call | None = None, **fields: Any) -> Call:
    """Create a call (as a draft) or change one; sizes and dates are checked."""
    if fields["closes_on"] < fields["opens_on"]:
        raise EnrolmentError("The call closes before it opens.")
    if not 1 <= fields["min_size"] <= fields["max_size"]:
        raise EnrolmentError("Group sizes: the minimum must be at least 1 and not above the max.")
    with transaction.atomic():
        if call is None:
            slug = f"{slugify(fields['title'])[:60] or 'call'}-{secrets.token_hex(3)}"
            call = Call(program=program, slug=slug, created_by=actor)
        for name in CALL_FIELDS:
            setattr(call, name, fields[name])
        created = call.pk is None
        call.save()
        audit_record(action="call.created" if created else "call.changed", actor=actor, target=call)
    return call


def call_set_status(*, call: Call, status: str, actor: User) -> Call:
    """Open, close or reopen a call."""
    if status not in Call.Status.values:
        raise EnrolmentError(f"“{status}” is not a state of a call.")
    with transaction.atomic():
        call.status = status
        call.save(update_fields=["status"])
        audit_record(action="call.status", actor=actor, target=call, status=status)
    return call


def call_is_accepting(call: Call, today: dt.date | None = None) -> bool:
    """Whether the intake form takes applications today."""
    today = today or timezone.localdate()
    return call.status == Call.Status.OPEN and call.opens_on <= today <= call.closes_on


# --- Applications ----------------------------------------------------------------------------


def application_token(application: Application) -> str:
    """The signed token of an applicant's private link."""
    return signing.dumps({"a": application.pk, "n": application.nonce}, salt=_TOKEN_SALT)


def application_from_token(token: str) -> Application:
    """The application a private link stands for, or EnrolmentError."""
    try:
        data = signing.loads(token, salt=_TOKEN_SALT)
        return Application.objects.select_related("call__program", "group", "invitation").get(
            pk=data["a"], nonce=data["n"]
        )
    except (signing.BadSignature, KeyError, TypeError, Application.DoesNotExist) as error:
        raise EnrolmentError(
            "This link to an application is not valid. Check that you copied all of it."
        ) from error


def application_submit(
    *, call: Call, user: User | None, answers: Mapping[str, Any], request: HttpRequest | None = None
) -> Application:
    """Save an intake form; a signed-in applicant is confirmed at once, others by their link."""
    from peermentor.enrolment.tasks import send_application_link

    if not call_is_accepting(call):
        raise EnrolmentError("This call is not taking applications.")
    email = (user.email if user else answers["email"]).strip().lower()
    if call.applications.filter(email__iexact=email).exists():
        raise EnrolmentError(
            f"{email} has applied to this call already: use the link in your e-mail to see or "
            "withdraw that application."
        )
    bad = sorted(set(answers.get("availability", [])) - set(SLOTS))
    if bad:
        raise EnrolmentError(f"Unknown time slots: {', '.join(bad)}.")
    with transaction.atomic():
        application = Application.objects.create(
            call=call,
            user=user,
            name=((user.name or user.email) if user else answers["name"]).strip(),
            email=email,
            status=Application.Status.WAITLISTED if call.published_at else "applied",
            nonce=secrets.token_urlsafe(32),
            confirmed_at=timezone.now() if user else None,
            **{k: answers[k] for k in _ANSWER_FIELDS if k in answers},
        )
        audit_record(
            action="application.submitted", actor=user, target=application, request=request
        )
        transaction.on_commit(lambda: send_application_link.enqueue(application_id=application.pk))
    return application


_ANSWER_FIELDS = (
    "career_stage",
    "rank",
    "track",
    "department",
    "interests",
    "tags",
    "goals",
    "availability",
    "exclude_emails",
    "balance",
)


def application_confirm(*, application: Application) -> Application:
    """Confirm an application from its private link, so formation counts it."""
    if application.confirmed_at is None:
        with transaction.atomic():
            application.confirmed_at = timezone.now()
            application.save(update_fields=["confirmed_at"])
            audit_record(action="application.confirmed", target=application)
    return application


def application_withdraw(*, application: Application, actor: User | None) -> Application:
    """Withdraw an application that has no place yet (an open offer is withdrawn with it)."""
    if application.status == Application.Status.WITHDRAWN:
        return application
    if application.status == Application.Status.PLACED or (
        application.invitation and application.invitation.accepted_at
    ):
        raise EnrolmentError(
            "You have joined your group already: to leave it, write to the program director."
        )
    with transaction.atomic():
        invitation = application.invitation
        if invitation and invitation.revoked_at is None:
            programs.invitation_revoke(invitation=invitation, actor=actor)  # type: ignore[arg-type]
        application.status = Application.Status.WITHDRAWN
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at"])
        audit_record(action="application.withdrawn", actor=actor, target=application)
    return application


# --- Formation runs --------------------------------------------------------------------------


def formation_start(
    *,
    call: Call,
    actor: User,
    min_size: int,
    max_size: int,
    senior_per_group: bool,
    seconds: float,
    groups: int | None = None,
    pins: Mapping[int, int] | None = None,
    applicants: Sequence[int] | None = None,
) -> FormationRun:
    """Queue a formation run over the call's confirmed, unplaced applicants."""
    from peermentor.enrolment.tasks import run_formation

    if not 0 < seconds <= MAX_SECONDS:
        raise EnrolmentError(f"The time limit is between 1 and {MAX_SECONDS} seconds.")
    if applicants is None:
        applicants = _taken(call, max_size, senior_per_group, groups)
    if not applicants:
        raise EnrolmentError("There are no confirmed applicants waiting for a group.")
    with transaction.atomic():
        run = FormationRun.objects.create(
            call=call,
            created_by=actor,
            min_size=min_size,
            max_size=max_size,
            senior_per_group=senior_per_group,
            seconds=seconds,
            groups=groups,
            applicants=list(applicants),
            pins={str(k): v for k, v in (pins or {}).items()},
        )
        audit_record(action="formation.started", actor=actor, target=run, people=len(applicants))
    run_formation.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


def _taken(call: Call, max_size: int, senior_rule: bool, groups: int | None) -> list[int]:
    # With a number of groups, places go in order of application; the rest wait.
    eligible = selectors.eligible_applications(call=call)
    if groups is None:
        return [a.pk for a in eligible]
    places = groups * max_size
    if not senior_rule:
        return [a.pk for a in eligible[:places]]
    seniors = [a.pk for a in eligible if a.is_senior][:groups]
    juniors = [a.pk for a in eligible if not a.is_senior][: places - groups]
    return seniors + juniors


def formation_execute(*, run_id: int) -> FormationRun:
    """Form the groups of a queued run and store the result (or why it failed)."""
    run = FormationRun.objects.select_related("call").get(pk=run_id)
    if run.status != FormationRun.Status.QUEUED:
        return run
    run.status, run.started_at = FormationRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    eligible = selectors.eligible_applications(call=run.call)
    chosen = [a for a in eligible if a.pk in set(run.applicants)]
    request = FormationRequest(
        applicants=selectors.formation_applicants(chosen),
        min_size=run.min_size,
        max_size=run.max_size,
        senior_per_group=run.senior_per_group,
        seconds=run.seconds,
        pinned={int(k): v for k, v in run.pins.items() if int(k) in {a.pk for a in chosen}},
        groups=run.groups,
        seed=run.pk,
    )
    try:
        result = form_groups(request)
    except FormationError as error:
        run.status, run.error = FormationRun.Status.FAILED, str(error)
    else:
        taken = {a.pk for a in chosen}
        run.status = FormationRun.Status.DONE
        run.result = {
            "groups": result.groups,
            "objective": result.objective,
            "lowest_group_score": result.lowest_group_score,
            "bound": result.bound,
            "gap": result.gap,
            "isolated": result.isolated,
            "seconds": round(result.seconds, 2),
            "method": result.method,
            "notes": list(result.notes),
            "left_out": [a.pk for a in eligible if a.pk not in taken],
        }
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "result", "finished_at"])
    return run


def _require_proposal(run: FormationRun) -> None:
    run.refresh_from_db(fields=["status"])  # another page may have published it meanwhile
    if run.status != FormationRun.Status.DONE:
        raise EnrolmentError("Only a proposal that is not yet published can change.")


def formation_move(
    *, run: FormationRun, application_id: int, target: int | None, actor: User
) -> FormationRun:
    """Move a person to another proposed group (pinned there) or to the waitlist (None)."""
    _require_proposal(run)
    groups = [list(g) for g in run.result["groups"]]
    left_out = list(run.result.get("left_out", []))
    if application_id not in {p for g in groups for p in g} | set(left_out):
        raise EnrolmentError("That person is not in this proposal.")
    if target is not None and not 0 <= target < len(groups):
        raise EnrolmentError(f"There is no group {target + 1} in this proposal.")
    groups = [[p for p in g if p != application_id] for g in groups]
    left_out = [p for p in left_out if p != application_id]
    pins = dict(run.pins)
    pins.pop(str(application_id), None)
    if target is None:
        left_out.append(application_id)
    else:
        groups[target].append(application_id)
        pins[str(application_id)] = target
    with transaction.atomic():
        run.result = {**run.result, "groups": groups, "left_out": left_out}
        run.pins, run.edited = pins, True
        run.save(update_fields=["result", "pins", "edited"])
        audit_record(
            action="formation.moved", actor=actor, target=run, person=application_id, to=target
        )
    return run


def formation_pin(
    *, run: FormationRun, application_id: int, pinned: bool, actor: User
) -> FormationRun:
    """Pin a person to the group they are in now, or unpin them."""
    _require_proposal(run)
    where = [i for i, g in enumerate(run.result["groups"]) if application_id in g]
    if not where:
        raise EnrolmentError("Only a person in a proposed group can be pinned.")
    pins = dict(run.pins)
    if pinned:
        pins[str(application_id)] = where[0]
    else:
        pins.pop(str(application_id), None)
    with transaction.atomic():
        run.pins = pins
        run.save(update_fields=["pins"])
        audit_record(action="formation.pinned", actor=actor, target=run, person=application_id)
    return run


def formation_reoptimise(*, run: FormationRun, actor: User) -> FormationRun:
    """A new run with the same people, sizes and number of groups, keeping the pins."""
    _require_proposal(run)
    people = [p for g in run.result["groups"] for p in g]
    return formation_start(
        call=run.call,
        actor=actor,
        min_size=run.min_size,
        max_size=run.max_size,
        senior_per_group=run.senior_per_group,
        seconds=run.seconds,
        groups=len(run.result["groups"]),
        pins={int(k): v for k, v in run.pins.items()},
        applicants=people,
    )


# --- Publishing ------------------------------------------------------------------------------


def formation_publish(
    *, run: FormationRun, actor: User, request: HttpRequest | None = None
) -> list[CohortGroup]:
    """Create the groups: members with accounts join, others are invited; the rest wait."""
    with transaction.atomic():
        # Locked, so a second click or another director cannot publish the same run twice.
        FormationRun.objects.select_for_update().filter(pk=run.pk).first()
        _require_proposal(run)
        run.call.refresh_from_db()
        shown = selectors.proposal(run=run)
        if shown is None:
            raise EnrolmentError("This run has no groups to publish.")
        _check_publishable(shown)
        call, today = run.call, timezone.localdate()
        cohort = call.cohort or _cohort_for(call, actor, today)
        created = [
            _publish_group(run, cohort, proposed, actor, request, today)
            for proposed in shown.groups
        ]
        for application in shown.left_out:
            _set_status(application, Application.Status.WAITLISTED)
        run.status, run.published_at = FormationRun.Status.PUBLISHED, timezone.now()
        run.save(update_fields=["status", "published_at"])
        if call.published_at is None:
            call.published_at = run.published_at
            call.save(update_fields=["published_at"])
        audit_record(action="formation.published", actor=actor, target=run, groups=len(created))
    return created


def _check_publishable(shown: selectors.Proposal) -> None:
    gone = [a.name for g in shown.groups for a in g.members if a.status not in selectors.ELIGIBLE]
    if gone:
        raise EnrolmentError(
            f"{', '.join(gone)} withdrew or found a place since this run: move them to the "
            "waitlist, or form the groups again."
        )
    if shown.broken_exclusions:
        raise EnrolmentError(
            "Some people who asked not to share a group are together: "
            + "; ".join(shown.broken_exclusions)
            + ". Move one of them, or re-optimise around the pins."
        )


def _cohort_for(call: Call, actor: User, today: dt.date) -> Cohort:
    name, n = call.title, 1
    while Cohort.objects.filter(program=call.program, name=name).exists():
        n += 1
        name = f"{call.title} ({n})"
    cohort = cohort_create(
        program=call.program,
        name=name,
        starts_on=today,
        ends_on=today + dt.timedelta(days=365),
        actor=actor,
    )
    call.cohort = cohort
    call.save(update_fields=["cohort"])
    return cohort


def _group_name(cohort: Cohort) -> str:
    n = cohort.cohort_groups.count() + 1
    names = {name.casefold() for name in cohort.program.groups.values_list("name", flat=True)}
    while f"{cohort.name} · Group {n}".casefold() in names:
        n += 1
    return f"{cohort.name} · Group {n}"


def _publish_group(
    run: FormationRun,
    cohort: Cohort,
    proposed: selectors.ProposedGroup,
    actor: User,
    request: HttpRequest | None,
    today: dt.date,
) -> CohortGroup:
    call = run.call
    group = programs.group_create(
        program=call.program,
        name=_group_name(cohort),
        time_zone=call.time_zone,
        formed_on=today,
        actor=actor,
    )
    cohort_group = CohortGroup.objects.create(
        cohort=cohort,
        group=group,
        run=run,
        max_size=run.max_size,
        common_slots=list(proposed.why.common_slots),
    )
    for application in proposed.members:
        _place(application, group, actor, request, today)
    _seed_poll(cohort_group)
    return cohort_group


def _place(
    application: Application,
    group: Group,
    actor: User,
    request: HttpRequest | None,
    today: dt.date,
) -> None:
    role = MemberRole.SENIOR_MENTOR if application.is_senior else MemberRole.MEMBER
    try:
        if application.user_id is not None:
            programs.membership_add(
                group=group, user=application.user, role=role, joined_on=today, actor=actor
            )
            application.status = Application.Status.PLACED
        else:
            application.invitation = programs.invitation_create(
                program=group.program,
                group=group,
                email=application.email,
                role=role,
                invited_by=actor,
                request=request,
            )
            application.status = Application.Status.OFFERED
    except programs.ProgramError as error:
        raise EnrolmentError(f"{application.name}: {error}") from error
    application.group, application.decided_at = group, timezone.now()
    application.save(update_fields=["status", "group", "invitation", "decided_at"])


def _set_status(application: Application, status: str) -> None:
    application.status, application.decided_at = status, timezone.now()
    application.save(update_fields=["status", "decided_at"])


def next_occurrence(slot: str, zone: ZoneInfo, after: dt.datetime) -> dt.datetime:
    """The first start of a weekly slot (e.g. "Tue07", in ``zone``) after a moment, in UTC."""
    weekday, hour = slot_key(slot)
    local = after.astimezone(zone)
    day = local.date() + dt.timedelta(days=(weekday - local.weekday()) % 7)
    start = dt.datetime.combine(day, dt.time(int(hour)), tzinfo=zone)
    if start <= after:
        start += dt.timedelta(days=7)
    return start.astimezone(dt.UTC)


def _seed_poll(cohort_group: CohortGroup) -> None:
    # Polls belong to the members, so a member opens it: the senior if they have an account.
    # A group whose members are all still invited gets its poll when the director asks later.
    memberships = selectors.current_members(cohort_group=cohort_group)
    if not memberships or not cohort_group.common_slots:
        return
    creator = sorted(memberships, key=lambda m: m.role != MemberRole.SENIOR_MENTOR)[0].user
    now = timezone.now()
    deadline = now + dt.timedelta(days=POLL_DAYS)
    zone = ZoneInfo(cohort_group.group.time_zone)  # the call's zone, given to the group
    starts = sorted(
        next_occurrence(slot, zone, deadline) for slot in cohort_group.common_slots[:POLL_OPTIONS]
    )
    try:
        poll = meetings.poll_create(
            group=cohort_group.group,
            creator=creator,
            title="Our first meeting: a weekly time everyone gave",
            kind="weekly",
            duration_minutes=60,
            deadline=deadline,
            starts=starts,
        )
    except meetings.MeetingError:
        return
    cohort_group.poll_id = poll.pk
    cohort_group.save(update_fields=["poll_id"])


def cohort_group_seed_poll(*, cohort_group: CohortGroup, actor: User) -> bool:
    """Open a group's first poll now that a member has joined; False when it cannot yet."""
    if cohort_group.poll_id is not None:
        return True
    _seed_poll(cohort_group)
    audit_record(action="cohort.poll_seeded", actor=actor, target=cohort_group)
    return cohort_group.poll_id is not None


# --- Waitlist --------------------------------------------------------------------------------


def waitlist_offer(
    *, application: Application, cohort_group: CohortGroup, actor: User, request: Any = None
) -> Application:
    """Give a waitlisted applicant a place in a group with room (joins, or is invited)."""
    if application.status != Application.Status.WAITLISTED:
        raise EnrolmentError(f"{application.name} is not on the waitlist.")
    rooms = dict(selectors.groups_with_room(call=application.call))
    if cohort_group not in rooms:
        raise EnrolmentError(f"{cohort_group.group} has no place left.")
    with transaction.atomic():
        _place(application, cohort_group.group, actor, request, timezone.localdate())
        audit_record(action="waitlist.offered", actor=actor, target=application)
    return application


# --- Cohorts ---------------------------------------------------------------------------------


def cohort_create(
    *, program: Program, name: str, starts_on: dt.date, ends_on: dt.date, actor: User
) -> Cohort:
    """Start a cohort: the groups that run through one term together."""
    if ends_on < starts_on:
        raise EnrolmentError("The term ends before it starts.")
    if Cohort.objects.filter(program=program, name__iexact=name).exists():
        raise EnrolmentError(f"This program has a cohort called “{name}” already.")
    with transaction.atomic():
        cohort = Cohort.objects.create(
            program=program, name=name, starts_on=starts_on, ends_on=ends_on
        )
        audit_record(action="cohort.created", actor=actor, target=cohort)
    return cohort


def cohort_group_decide(
    *,
    cohort_group: CohortGroup,
    decision: str,
    actor: User,
    next_cohort: Cohort | None = None,
    next_call: Call | None = None,
) -> CohortGroup:
    """End of term: renew the group into the next cohort, close it, or release its members."""
    if cohort_group.status != CohortGroup.Status.ACTIVE:
        raise EnrolmentError(f"{cohort_group.group} has been decided already.")
    program = cohort_group.cohort.program
    with transaction.atomic():
        if decision == CohortGroup.Status.RENEWED:
            _renew(cohort_group, next_cohort, program)
        elif decision == CohortGroup.Status.CLOSED:
            _close(cohort_group, actor, LeaveReason.GROUP_CLOSED)
        elif decision == CohortGroup.Status.RELEASED:
            _release(cohort_group, actor, next_call, program)
        else:
            raise EnrolmentError("Choose renew, close or release.")
        cohort_group.status, cohort_group.decided_at = decision, timezone.now()
        cohort_group.save(update_fields=["status", "decided_at"])
        audit_record(action=f"cohort.{decision}", actor=actor, target=cohort_group)
    return cohort_group


def _renew(cohort_group: CohortGroup, next_cohort: Cohort | None, program: Program) -> None:
    if next_cohort is None or next_cohort.program_id != program.pk:
        raise EnrolmentError("Choose the cohort the group is renewed into.")
    if next_cohort.pk == cohort_group.cohort_id:
        raise EnrolmentError("A group is renewed into a later cohort, not the same one.")
    CohortGroup.objects.create(
        cohort=next_cohort,
        group=cohort_group.group,
        max_size=cohort_group.max_size,
        common_slots=cohort_group.common_slots,
        poll_id=cohort_group.poll_id,
    )


def _close(cohort_group: CohortGroup, actor: User, reason: str) -> list[User]:
    today = timezone.localdate()
    people = []
    for membership in selectors.current_members(cohort_group=cohort_group):
        programs.membership_end(
            membership=membership, left_on=max(today, membership.joined_on), reason=reason,
            actor=actor,
        )  # fmt: skip
        people.append(membership.user)
    group = cohort_group.group
    group.closed_on = today
    group.save(update_fields=["closed_on"])
    return people


def _release(
    cohort_group: CohortGroup, actor: User, next_call: Call | None, program: Program
) -> None:
    if next_call is None or next_call.program_id != program.pk:
        raise EnrolmentError("Choose the call the released members apply to.")
    if next_call.status == Call.Status.CLOSED:
        raise EnrolmentError(f"“{next_call}” is closed; choose a draft or open call.")
    for user in _close(cohort_group, actor, LeaveReason.COMPLETED):
        if next_call.applications.filter(email__iexact=user.email).exists():
            continue
        _carry_forward(user, next_call, program)


def _carry_forward(user: User, call: Call, program: Program) -> Application:
    previous = selectors.latest_application(program=program, user=user)
    answers = {k: getattr(previous, k) for k in _ANSWER_FIELDS} if previous else {}
    answers.setdefault("career_stage", Application.Stage.JUNIOR)
    return Application.objects.create(
        call=call,
        user=user,
        name=user.name or user.email,
        email=user.email.lower(),
        status=Application.Status.WAITLISTED if call.published_at else "applied",
        source="released",
        nonce=secrets.token_urlsafe(32),
        confirmed_at=timezone.now(),
        **answers,
    )
