"""Enrolment services: applying, forming, moving and pinning, publishing, waitlist, cohorts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from peermentor.enrolment import selectors, services
from peermentor.enrolment.models import Application, Call, CohortGroup, FormationRun
from peermentor.meetings.models import AvailabilityPoll
from peermentor.programs.models import Invitation, Membership
from tests.conftest import World, make_user
from tests.enrolment.conftest import add_applicant, done_run, open_call

ANSWERS = {
    "name": "Nia Newcomer",
    "email": "Nia@Test.Example",
    "career_stage": "junior",
    "department": "Psychiatry",
    "interests": ["assessment"],
    "tags": ["podcasting"],
    "goals": "Write a paper.",
    "availability": ["Tue07", "Thu12"],
    "exclude_emails": ["boss@test.example"],
    "balance": {"Gender": "woman"},
}


# --- Applying --------------------------------------------------------------------------------


def test_an_anonymous_application_waits_for_its_link_to_be_confirmed(
    call: Call, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(call=call, user=None, answers=ANSWERS)
    assert application.email == "nia@test.example"
    assert application.confirmed_at is None
    assert application not in selectors.eligible_applications(call=call)
    assert len(mailoutbox) == 1
    token = re.search(r"/application/([^/\s]+)/", mailoutbox[0].body)[1]
    assert services.application_from_token(token) == application
    services.application_confirm(application=services.application_from_token(token))
    assert selectors.eligible_applications(call=call) == [application]


def test_a_signed_in_applicant_is_confirmed_at_once_with_their_account(
    world: World, call: Call
) -> None:
    application = services.application_submit(call=call, user=world.outsider, answers=ANSWERS)
    assert application.user == world.outsider
    assert application.email == world.outsider.email
    assert application.confirmed_at is not None


def test_the_same_address_cannot_apply_twice(call: Call) -> None:
    services.application_submit(call=call, user=None, answers=ANSWERS)
    with pytest.raises(services.EnrolmentError, match="applied to this call already"):
        services.application_submit(call=call, user=None, answers=ANSWERS)


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_call_that_is_not_open_takes_no_application(call: Call, status: str) -> None:
    services.call_set_status(call=call, status=status, actor=None)  # type: ignore[arg-type]
    with pytest.raises(services.EnrolmentError, match="not taking applications"):
        services.application_submit(call=call, user=None, answers=ANSWERS)


def test_a_call_past_its_closing_day_takes_no_application(world: World) -> None:
    past = timezone.localdate() - dt.timedelta(days=5)
    call = open_call(world, opens_on=past, closes_on=past)
    assert not services.call_is_accepting(call)


def test_unknown_slots_are_refused(call: Call) -> None:
    with pytest.raises(services.EnrolmentError, match="Sun23"):
        services.application_submit(
            call=call, user=None, answers={**ANSWERS, "availability": ["Sun23"]}
        )


def test_withdrawing_an_offer_revokes_its_invitation(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(4)]
    services.formation_publish(run=done_run(call, people), actor=world.director)
    offered = Application.objects.get(pk=people[0].pk)
    assert offered.status == "offered"
    services.application_withdraw(application=offered, actor=None)
    offered.refresh_from_db()
    assert offered.status == "withdrawn"
    assert offered.invitation.revoked_at is not None


def test_a_placed_member_cannot_withdraw_the_application(world: World, call: Call) -> None:
    person = add_applicant(call, 1, user=world.outsider, email=world.outsider.email)
    others = [add_applicant(call, n) for n in range(2, 5)]
    services.formation_publish(run=done_run(call, [person, *others]), actor=world.director)
    person.refresh_from_db()
    assert person.status == "placed"
    with pytest.raises(services.EnrolmentError, match="joined your group"):
        services.application_withdraw(application=person, actor=world.outsider)


# --- Forming ---------------------------------------------------------------------------------


def test_a_run_forms_groups_of_the_confirmed_applicants(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(7)]
    add_applicant(call, 20, confirmed_at=None)  # not confirmed: left out
    add_applicant(call, 21, status="withdrawn")
    run = services.formation_start(
        call=call, actor=world.director, min_size=2, max_size=3, senior_per_group=False,
        seconds=1,
    )  # fmt: skip
    assert run.status == FormationRun.Status.DONE
    placed = sorted(p for group in run.result["groups"] for p in group)
    assert placed == sorted(p.pk for p in people)
    assert all(2 <= len(g) <= 3 for g in run.result["groups"])
    assert {"objective", "bound", "gap", "lowest_group_score", "isolated"} <= set(run.result)
    assert run.result["bound"] >= run.result["objective"]


def test_a_run_that_cannot_form_groups_says_which_rule(world: World, call: Call) -> None:
    for n in range(4):
        add_applicant(call, n)
    run = services.formation_start(
        call=call, actor=world.director, min_size=2, max_size=3, senior_per_group=True,
        seconds=1,
    )  # fmt: skip
    assert run.status == FormationRun.Status.FAILED
    assert "too few seniors" in run.error


def test_exclusions_named_by_email_are_kept_both_ways(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(6)]
    people[0].exclude_emails = [people[1].email.upper()]
    people[0].save()
    applicants = selectors.formation_applicants(selectors.eligible_applications(call=call))
    assert applicants[0].exclude == {people[1].pk}
    run = services.formation_start(
        call=call, actor=world.director, min_size=2, max_size=2, senior_per_group=False,
        seconds=1,
    )  # fmt: skip
    together = next(g for g in run.result["groups"] if people[0].pk in g)
    assert people[1].pk not in together


def test_a_number_of_groups_gives_places_in_order_of_application(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(7)]
    run = services.formation_start(
        call=call, actor=world.director, min_size=2, max_size=2, senior_per_group=False,
        seconds=1, groups=2,
    )  # fmt: skip
    assert sorted(p for g in run.result["groups"] for p in g) == [p.pk for p in people[:4]]
    assert run.result["left_out"] == [p.pk for p in people[4:]]


def test_moving_pins_and_re_optimising_keeps_the_pins(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(6)]
    run = services.formation_start(
        call=call, actor=world.director, min_size=2, max_size=3, senior_per_group=False,
        seconds=1,
    )  # fmt: skip
    mover = run.result["groups"][0][0]
    services.formation_move(run=run, application_id=mover, target=1, actor=world.director)
    assert mover in run.result["groups"][1]
    assert run.edited
    assert run.pins == {str(mover): 1}
    again = services.formation_reoptimise(run=run, actor=world.director)
    assert again.status == FormationRun.Status.DONE
    assert mover in again.result["groups"][1]
    assert sorted(p for g in again.result["groups"] for p in g) == sorted(p.pk for p in people)


def test_moving_to_the_waitlist_and_back(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(4)]
    run = done_run(call, people)
    services.formation_move(run=run, application_id=people[0].pk, target=None, actor=world.director)
    assert run.result["left_out"] == [people[0].pk]
    shown = selectors.proposal(run=run)
    assert shown is not None
    assert "fewer than the minimum" in shown.groups[0].warnings[0]
    services.formation_move(run=run, application_id=people[0].pk, target=0, actor=world.director)
    assert run.result["left_out"] == []


def test_pin_and_unpin(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(4)]
    run = done_run(call, people)
    services.formation_pin(run=run, application_id=people[3].pk, pinned=True, actor=world.director)
    assert run.pins == {str(people[3].pk): 1}
    services.formation_pin(run=run, application_id=people[3].pk, pinned=False, actor=world.director)
    assert run.pins == {}


def test_a_published_run_cannot_change(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(4)]
    run = done_run(call, people)
    services.formation_publish(run=run, actor=world.director)
    with pytest.raises(services.EnrolmentError):
        services.formation_move(
            run=run, application_id=people[0].pk, target=1, actor=world.director
        )


# --- Publishing ------------------------------------------------------------------------------


def test_publishing_creates_groups_memberships_invitations_waitlist_and_a_poll(
    world: World, call: Call
) -> None:
    with_account = make_user("newbie@test.example", "Newbie")
    people = [
        add_applicant(call, 0, user=with_account, email=with_account.email, career_stage="senior"),
        add_applicant(call, 1),
        add_applicant(call, 2),
        add_applicant(call, 3),
    ]
    late = add_applicant(call, 4)
    run = done_run(call, people)
    run.result["left_out"] = [late.pk]
    run.save()
    created = services.formation_publish(run=run, actor=world.director)
    assert len(created) == 2
    first = created[0]
    assert first.group.program == world.program
    assert first.group.time_zone == "Europe/London"
    membership = Membership.objects.get(group=first.group, user=with_account)
    assert membership.role == "senior_mentor"
    invitation = Invitation.objects.get(group=first.group)
    assert invitation.email == people[1].email
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[people[0].pk] == "placed"
    assert statuses[people[1].pk] == statuses[people[2].pk] == "offered"
    assert statuses[late.pk] == "waitlisted"
    # Applicants 0 and 1 share Tue07 only: the seeded poll offers it, opened by the senior.
    assert first.common_slots == ["Tue07"]
    poll = AvailabilityPoll.objects.get(pk=first.poll_id)
    assert poll.kind == "weekly"
    assert poll.created_by == with_account
    start = poll.options.get().starts_at.astimezone(ZoneInfo("Europe/London"))
    assert (start.weekday(), start.hour) == (1, 7)
    assert created[1].poll_id is None  # nobody in it has an account yet
    run.refresh_from_db()
    call.refresh_from_db()
    assert run.status == "published"
    assert call.published_at is not None
    assert call.cohort is not None
    assert call.cohort.cohort_groups.count() == 2


def test_publishing_is_refused_while_an_exclusion_is_broken(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(4)]
    people[1].exclude_emails = [people[0].email]
    people[1].save()
    run = done_run(call, people)
    with pytest.raises(services.EnrolmentError, match="must not share group 1"):
        services.formation_publish(run=run, actor=world.director)
    assert not CohortGroup.objects.exists()


def test_later_applications_go_straight_to_the_waitlist(world: World, call: Call) -> None:
    services.formation_publish(
        run=done_run(call, [add_applicant(call, n) for n in range(4)]), actor=world.director
    )
    call.refresh_from_db()
    late = services.application_submit(call=call, user=None, answers=ANSWERS)
    assert late.status == "waitlisted"


def test_next_occurrence_of_a_weekly_slot_is_in_the_group_time_zone() -> None:
    after = dt.datetime(2026, 3, 27, 12, 0, tzinfo=dt.UTC)  # a Friday; clocks change on Sunday
    start = services.next_occurrence("Tue07", ZoneInfo("Europe/London"), after)
    assert start == dt.datetime(2026, 3, 31, 6, 0, tzinfo=dt.UTC)  # 07:00 BST


# --- Waitlist ---------------------------------------------------------------------------------


def test_the_waitlist_offers_a_place_in_a_group_with_room(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(4)]
    run = done_run(call, people)
    services.formation_publish(run=run, actor=world.director)
    first = CohortGroup.objects.order_by("pk").first()
    first.max_size = 3
    first.save()
    late = add_applicant(call, 9, status="waitlisted", user=world.outsider,
                         email=world.outsider.email)  # fmt: skip
    rooms = selectors.groups_with_room(call=call)
    assert [(cg.pk, room) for cg, room in rooms] == [(first.pk, 1)]
    services.waitlist_offer(application=late, cohort_group=first, actor=world.director)
    assert late.status == "placed"
    assert Membership.objects.filter(group=first.group, user=world.outsider).exists()
    assert selectors.groups_with_room(call=call) == []
    other = add_applicant(call, 10, status="waitlisted")
    with pytest.raises(services.EnrolmentError, match="no place left"):
        services.waitlist_offer(application=other, cohort_group=first, actor=world.director)


# --- Cohorts ---------------------------------------------------------------------------------


def _published(world: World, call: Call) -> CohortGroup:
    user = make_user("keen@test.example", "Keen")
    people = [add_applicant(call, 0, user=user, email=user.email, department="Surgery"),
              add_applicant(call, 1)]  # fmt: skip
    return services.formation_publish(run=done_run(call, people), actor=world.director)[0]


def test_renewing_a_group_carries_it_into_the_next_cohort(world: World, call: Call) -> None:
    cohort_group = _published(world, call)
    today = timezone.localdate()
    later = services.cohort_create(
        program=world.program, name="Next term", starts_on=today, ends_on=today,
        actor=world.director,
    )  # fmt: skip
    services.cohort_group_decide(
        cohort_group=cohort_group, decision="renewed", actor=world.director, next_cohort=later
    )
    assert later.cohort_groups.get().group == cohort_group.group
    assert cohort_group.status == "renewed"
    with pytest.raises(services.EnrolmentError, match="decided already"):
        services.cohort_group_decide(
            cohort_group=cohort_group, decision="closed", actor=world.director
        )


def test_closing_a_group_ends_its_memberships(world: World, call: Call) -> None:
    cohort_group = _published(world, call)
    services.cohort_group_decide(cohort_group=cohort_group, decision="closed", actor=world.director)
    cohort_group.group.refresh_from_db()
    assert cohort_group.group.closed_on == timezone.localdate()
    ended = Membership.objects.get(group=cohort_group.group)
    assert ended.left_on is not None
    assert ended.leave_reason == "group_closed"


def test_releasing_members_makes_them_applicants_of_the_next_call(world: World, call: Call) -> None:
    cohort_group = _published(world, call)
    next_call = open_call(world, title="Groups 2028")
    with pytest.raises(services.EnrolmentError, match="Choose the call"):
        services.cohort_group_decide(
            cohort_group=cohort_group, decision="released", actor=world.director
        )
    services.cohort_group_decide(
        cohort_group=cohort_group, decision="released", actor=world.director, next_call=next_call
    )
    carried = next_call.applications.get()
    assert carried.email == "keen@test.example"
    assert carried.source == "released"
    assert carried.department == "Surgery"
    assert carried.confirmed_at is not None
    assert carried.status == "applied"
    assert Membership.objects.get(group=cohort_group.group).leave_reason == "completed"


def test_publishing_refuses_someone_who_withdrew_since_the_run(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(4)]
    run = done_run(call, people)
    services.application_withdraw(application=people[2], actor=None)
    with pytest.raises(services.EnrolmentError, match="Applicant 2 withdrew"):
        services.formation_publish(run=run, actor=world.director)


def test_a_run_is_published_once(world: World, call: Call) -> None:
    run = done_run(call, [add_applicant(call, n) for n in range(4)])
    stale = FormationRun.objects.get(pk=run.pk)
    services.formation_publish(run=run, actor=world.director)
    with pytest.raises(services.EnrolmentError, match="not yet published"):
        services.formation_publish(run=stale, actor=world.director)
    assert CohortGroup.objects.count() == 2


def test_a_signed_in_applicant_without_a_name_is_named_by_email(world: World, call: Call) -> None:
    nameless = make_user("nameless@test.example", "")
    answers = {k: v for k, v in ANSWERS.items() if k not in ("name", "email")}
    application = services.application_submit(call=call, user=nameless, answers=answers)
    assert application.name == "nameless@test.example"
