"""Meetings: polls, series across daylight saving, the rota, the agenda, notes, attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from peermentor.meetings import selectors, services
from peermentor.meetings.models import ActionItem, AgendaItem, AvailabilityPoll, Meeting, Vote
from tests.conftest import World


def _soon(days: int, hour: int = 12) -> dt.datetime:
    base = timezone.now().replace(minute=0, second=0, microsecond=0)
    return base + dt.timedelta(days=days, hours=hour - base.hour)


def _poll(world: World, starts: list[dt.datetime] | None = None, **extra: Any) -> AvailabilityPoll:
    return services.poll_create(
        group=world.group,
        creator=world.member,
        title="Next",
        kind="dates",
        duration_minutes=60,
        deadline=timezone.now() + dt.timedelta(days=3),
        starts=starts or [_soon(7), _soon(8), _soon(9)],
        **extra,
    )


def _vote(poll: AvailabilityPoll, user: Any, *answers: str) -> None:
    options = list(poll.options.order_by("starts_at"))
    services.poll_vote(
        poll=poll, user=user, answers={o.pk: a for o, a in zip(options, answers, strict=True)}
    )


# --- Polls -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "message"),
    [
        ([], "at least one time"),
        ([timezone.now() - dt.timedelta(hours=1)], "in the past"),
        ([_soon(5), _soon(5)], "twice"),
        ([_soon(5), _soon(5) + dt.timedelta(minutes=30)], "overlap"),
    ],
)
def test_bad_poll_options_are_refused_and_nothing_is_saved(
    world: World, starts: list[Any], message: str
) -> None:
    with pytest.raises(services.MeetingError, match=message):
        services.poll_create(
            group=world.group,
            creator=world.member,
            title="x",
            kind="dates",
            duration_minutes=60,
            deadline=_soon(3),
            starts=starts,
        )
    assert not AvailabilityPoll.objects.exists()


def test_deadline_in_the_past_is_refused(world: World) -> None:
    with pytest.raises(services.MeetingError, match="deadline"):
        services.poll_create(
            group=world.group,
            creator=world.member,
            title="x",
            kind="dates",
            duration_minutes=60,
            deadline=timezone.now() - dt.timedelta(1),
            starts=[_soon(5)],
        )


def test_outsider_cannot_open_a_poll(world: World) -> None:
    with pytest.raises(services.MeetingError, match="Only the group's members"):
        services.poll_create(
            group=world.group,
            creator=world.director,
            title="x",
            kind="dates",
            duration_minutes=60,
            deadline=_soon(3),
            starts=[_soon(5)],
        )


def test_ranking_puts_required_members_first_then_most_yes(world: World) -> None:
    poll = _poll(world, required=[world.senior])
    _vote(poll, world.member, "yes", "yes", "no")
    _vote(poll, world.other_member, "yes", "yes", "yes")
    _vote(poll, world.senior, "no", "if_need_be", "yes")
    view = selectors.poll_view(poll=poll, user=world.member)
    order = [row.start for row in view.ranking]
    starts = sorted(o.starts_at for o in view.options)
    # Option 1 has most yes but the senior mentor cannot come; option 2 wins (2 yes + 1 maybe).
    assert order == [starts[1], starts[2], starts[0]]
    assert not view.ranking[-1].required_ok


def test_votes_after_the_deadline_are_refused(world: World) -> None:
    poll = _poll(world)
    AvailabilityPoll.objects.filter(pk=poll.pk).update(deadline=timezone.now() - dt.timedelta(1))
    poll.refresh_from_db()
    with pytest.raises(services.MeetingError, match="deadline"):
        _vote(poll, world.member, "yes", "yes", "yes")
    assert not Vote.objects.exists()


def test_partial_answers_are_refused(world: World) -> None:
    poll = _poll(world)
    option = poll.options.first()
    with pytest.raises(services.MeetingError, match="Answer every time"):
        services.poll_vote(poll=poll, user=world.member, answers={option.pk: "yes"})
    assert not Vote.objects.exists()


def test_everyone_answering_is_noted_once(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    poll = _poll(world)
    with django_capture_on_commit_callbacks(execute=True):
        for user in (world.member, world.other_member, world.senior):
            _vote(poll, user, "yes", "no", "yes")
        _vote(poll, world.senior, "no", "no", "yes")
    poll.refresh_from_db()
    assert poll.everyone_answered_at is not None
    notices = [m for m in mailoutbox if "Everyone has answered" in m.subject]
    assert [m.to for m in notices] == [[world.member.email]]


# --- Series, DST and the rota ----------------------------------------------------------------


def test_series_keeps_the_local_time_across_daylight_saving(world: World) -> None:
    zone = ZoneInfo("Europe/London")
    first = dt.datetime(2030, 3, 12, 7, 30, tzinfo=zone)  # before the change on 31 March 2030
    meeting = services.series_create(
        group=world.group,
        first_start=first,
        interval_weeks=2,
        count=4,
        duration_minutes=60,
        actor=world.member,
    )
    starts = list(meeting.series.meetings.order_by("starts_at").values_list("starts_at", flat=True))
    assert [s.astimezone(zone).strftime("%H:%M") for s in starts] == ["07:30"] * 4
    assert {s.astimezone(dt.UTC).hour for s in starts} == {7, 6}


def test_finalising_a_poll_makes_a_series(world: World) -> None:
    poll = _poll(world)
    option = poll.options.order_by("starts_at").first()
    first = services.poll_finalise(
        poll=poll,
        option=option,
        user=world.other_member,
        repeat_weeks=6,
        occurrences=5,
        place="Room 2",
    )
    assert first.starts_at == option.starts_at
    assert Meeting.objects.filter(series=first.series).count() == 5
    poll.refresh_from_db()
    assert poll.status == "finalised"
    with pytest.raises(services.MeetingError, match="finalised already"):
        services.poll_finalise(poll=poll, option=option, user=world.member)


def test_rota_goes_to_who_did_it_least_recently(world: World) -> None:
    people = []
    for week in range(6):
        meeting = services.meeting_create(
            group=world.group, starts_at=_soon(7 * (week + 1)), actor=world.member
        )
        people.append((meeting.facilitator, meeting.timekeeper))
    facilitators = [f for f, _ in people]
    assert set(facilitators[:3]) == {world.member, world.other_member, world.senior}
    assert facilitators[3:] == facilitators[:3]
    assert all(f != t for f, t in people)


def test_rescheduling_raises_the_calendar_sequence(world: World) -> None:
    meeting = services.meeting_create(group=world.group, starts_at=_soon(7), actor=world.member)
    moved = services.meeting_update(meeting=meeting, actor=world.member, starts_at=_soon(8))
    assert moved.sequence == 1
    cancelled = services.meeting_update(meeting=moved, actor=world.member, status="cancelled")
    assert cancelled.sequence == 2


# --- Agenda, actions, notes, attendance ------------------------------------------------------


def test_agenda_warns_when_time_boxes_exceed_the_meeting_and_the_check_in_limit(
    world: World,
) -> None:
    from peermentor.programs import services as programs
    from peermentor.programs.forms import DEFAULT_CHARTER

    charter = programs.charter_propose(
        group=world.group,
        proposer=world.member,
        data={**DEFAULT_CHARTER, "personal_checkin_minutes": 10},
    )
    programs.charter_decide(charter=charter, user=world.senior, decision="approve")
    meeting = services.meeting_create(
        group=world.group, starts_at=_soon(7), actor=world.member, duration_minutes=60
    )
    for title, kind, minutes in [("Check-in", "personal", 20), ("Grants", "professional", 50)]:
        services.agenda_item_add(
            group=world.group,
            meeting=meeting,
            proposer=world.member,
            title=title,
            kind=kind,
            minutes=minutes,
        )
    agenda = selectors.agenda_for(meeting=meeting, user=world.member)
    assert (agenda.planned_minutes, agenda.over_by) == (70, 10)
    assert (agenda.personal_minutes, agenda.personal_over_by) == (20, 10)


def test_votes_reorder_the_agenda_and_moving_swaps_neighbours(world: World) -> None:
    meeting = services.meeting_create(group=world.group, starts_at=_soon(7), actor=world.member)
    first, second = (
        services.agenda_item_add(
            group=world.group,
            meeting=meeting,
            proposer=world.member,
            title=t,
            kind="professional",
            minutes=10,
        )
        for t in ("A", "B")
    )
    assert services.agenda_vote_toggle(item=second, user=world.other_member)
    services.agenda_order_by_votes(meeting=meeting, actor=world.member)
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "B",
        "A",
    ]
    services.agenda_move(item=first, actor=world.member, direction="up")
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "A",
        "B",
    ]
    assert not services.agenda_vote_toggle(item=second, user=world.other_member)


def test_carried_items_move_to_the_next_meeting_with_their_count(world: World) -> None:
    this = services.meeting_create(group=world.group, starts_at=_soon(7), actor=world.member)
    following = services.meeting_create(group=world.group, starts_at=_soon(14), actor=world.member)
    item = services.agenda_item_add(
        group=world.group,
        meeting=this,
        proposer=world.member,
        title="Grant idea",
        kind="professional",
        minutes=15,
    )
    services.agenda_item_mark(item=item, actor=world.member, status="carried", actual_minutes=3)
    carried = AgendaItem.objects.get(meeting=following)
    assert (carried.title, carried.carry_count, carried.carried_from) == ("Grant idea", 1, item)
    services.agenda_item_mark(item=carried, actor=world.member, status="carried")
    assert AgendaItem.objects.get(carried_from=carried).carry_count == 2


def test_second_notes_save_from_an_old_version_is_told_and_keeps_both(world: World) -> None:
    meeting = services.meeting_create(group=world.group, starts_at=_soon(7), actor=world.member)
    services.meeting_notes_save(meeting=meeting, user=world.member, text="Mine", base_version=0)
    with pytest.raises(services.NotesConflict) as conflict:
        services.meeting_notes_save(
            meeting=meeting, user=world.other_member, text="Theirs", base_version=0
        )
    assert conflict.value.meeting.notes == "Mine"
    assert "Member saved these notes" in str(conflict.value)
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.notes_version) == ("Mine", 1)


def test_attendance_marks_a_past_meeting_held_and_feeds_the_rates(world: World) -> None:
    meeting = services.meeting_create(
        group=world.group, actor=world.member, starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    services.attendance_record(
        meeting=meeting,
        actor=world.member,
        statuses={
            world.member.pk: "present",
            world.other_member.pk: "late",
            world.senior.pk: "excused",
        },
    )
    meeting.refresh_from_db()
    assert meeting.status == "held"
    rates = {r.user: r.percent for r in selectors.attendance_rates(group=world.group)}
    assert rates == {world.member: 100, world.other_member: 100, world.senior: 0}


def test_attendance_for_someone_outside_the_group_is_refused(world: World) -> None:
    meeting = services.meeting_create(group=world.group, starts_at=_soon(-1), actor=world.member)
    with pytest.raises(services.MeetingError, match="only be taken for members"):
        services.attendance_record(
            meeting=meeting, actor=world.member, statuses={world.outsider.pk: "present"}
        )
    assert not meeting.attendance.exists()


def test_open_actions_come_back_until_done(world: World) -> None:
    meeting = services.meeting_create(group=world.group, starts_at=_soon(7), actor=world.member)
    action = services.action_item_add(
        group=world.group,
        meeting=meeting,
        owner=world.senior,
        title="Share the grant call",
        due_on=None,
        actor=world.member,
    )
    assert list(selectors.open_actions(group=world.group)) == [action]
    services.action_item_set_status(item=action, status="done", actor=world.senior)
    assert not selectors.open_actions(group=world.group).exists()
    assert ActionItem.objects.get().closed_at is not None


def test_focus_sums_planned_and_actual_minutes_by_kind(world: World) -> None:
    meeting = services.meeting_create(
        group=world.group, starts_at=_soon(-1), actor=world.member, status="held"
    )
    for title, kind, planned, actual in [
        ("Check-in", "personal", 10, 22),
        ("Portfolio", "professional", 30, 25),
    ]:
        item = services.agenda_item_add(
            group=world.group,
            meeting=meeting,
            proposer=world.member,
            title=title,
            kind=kind,
            minutes=planned,
        )
        services.agenda_item_mark(
            item=item, actor=world.member, status="discussed", actual_minutes=actual
        )
    [focus] = selectors.focus_by_meeting(group=world.group)
    assert (focus.planned_professional, focus.actual_professional) == (30, 25)
    assert (focus.planned_personal, focus.actual_personal) == (10, 22)
