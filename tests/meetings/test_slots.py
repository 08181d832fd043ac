"""Poll ranking, weekly patterns and candidate slots, checked against a naive reference."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peermentor.meetings.slots import (
    Candidate,
    Interval,
    PollOption,
    Vote,
    WeeklyPattern,
    expand_weekly,
    parse_vote,
    rank_candidate_slots,
    rank_poll_options,
)

UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at(text: str, zone: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


# --- Availability polls ---------------------------------------------------------------------


def options(*starts: str) -> list[PollOption]:
    return [
        PollOption(id=f"o{n}", start=at(s), end=at(s) + dt.timedelta(hours=1))
        for n, s in enumerate(starts, start=1)
    ]


def test_most_yes_ranks_first() -> None:
    votes = {
        "a": {"o1": "yes", "o2": "no"},
        "b": {"o1": "no", "o2": "yes"},
        "c": {"o1": "if_need_be", "o2": "yes"},
    }
    ranked = rank_poll_options(options("2025-03-04T16:00", "2025-03-05T16:00"), votes)
    assert [r.option_id for r in ranked] == ["o2", "o1"]
    assert [r.rank for r in ranked] == [1, 2]
    assert (ranked[0].yes, ranked[0].if_need_be, ranked[0].no) == (2, 0, 1)


def test_ties_go_to_if_need_be_then_fewer_no_then_the_earlier_start() -> None:
    votes = {
        "a": {"o1": "yes", "o2": "yes", "o3": "yes", "o4": "yes"},
        "b": {"o1": "no", "o2": "if_need_be", "o3": "no", "o4": "no"},
        "c": {"o1": "no", "o3": "no"},
    }
    polled = options("2025-03-04T09:00", "2025-03-05T09:00", "2025-03-06T09:00", "2025-03-03T09:00")
    ranked = rank_poll_options(polled, votes)
    # o2: an if-need-be; o4: one no and one silent; o1 and o3: two no, o1 earlier.
    assert [r.option_id for r in ranked] == ["o2", "o4", "o1", "o3"]


def test_an_option_a_required_member_cannot_attend_ranks_after_all_others() -> None:
    votes = {
        "senior": {"o1": "no", "o2": "if_need_be"},
        "a": {"o1": "yes", "o2": "no"},
        "b": {"o1": "yes", "o2": "no"},
        "c": {"o1": "yes", "o2": "no"},
    }
    ranked = rank_poll_options(
        options("2025-03-04T16:00", "2025-03-05T16:00"), votes, required={"senior"}
    )
    assert [r.option_id for r in ranked] == ["o2", "o1"]
    assert ranked[0].required_ok
    assert not ranked[1].required_ok
    assert ranked[1].required_missing == ("senior",)
    assert ranked[1].reasons == (
        "a required member cannot come",
        "3 yes, 1 no",
        "required member senior cannot come",
    )


def test_a_required_member_who_has_not_answered_also_ranks_last() -> None:
    votes = {"a": {"o1": "yes", "o2": "yes"}, "m7": {"o2": "yes"}}
    ranked = rank_poll_options(
        options("2025-03-04T16:00", "2025-03-05T16:00"), votes, required={"m7"}
    )
    assert [r.option_id for r in ranked] == ["o2", "o1"]
    assert ranked[1].reasons == (
        "a required member has not answered",
        "1 yes, 1 no answer",
        "required member m7 has not answered",
    )


def test_reasons_give_the_counts_and_each_required_member_by_id() -> None:
    members = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]
    votes = {m: {"o1": "yes"} for m in members[:5]} | {"m6": {"o1": "if need be"}}
    ranked = rank_poll_options(options("2025-03-04T16:00"), votes, required={"m1"})
    assert ranked[0].reasons == ("5 yes, 1 if need be", "required member m1 can come")
    ranked = rank_poll_options(options("2025-03-04T16:00"), votes, members=members)
    assert ranked[0].reasons == ("5 yes, 1 if need be, 1 no answer",)
    assert ranked[0].no_answer == 1


def test_vote_spellings() -> None:
    assert parse_vote("If-Need-Be") is Vote.IF_NEED_BE
    assert parse_vote(" yes ") is Vote.YES
    with pytest.raises(ValueError, match="is not a vote"):
        parse_vote("maybe")


def test_votes_for_options_not_offered_are_ignored() -> None:
    ranked = rank_poll_options(options("2025-03-04T16:00"), {"a": {"gone": "yes"}})
    assert (ranked[0].yes, ranked[0].no_answer) == (0, 1)


def test_bad_options_are_refused() -> None:
    naive = PollOption("x", dt.datetime(2025, 3, 4, 16), dt.datetime(2025, 3, 4, 17))  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        rank_poll_options([naive], {})
    twice = options("2025-03-04T16:00") * 2
    with pytest.raises(ValueError, match="unique"):
        rank_poll_options(twice, {})


VOTE = st.sampled_from([*list(Vote), None])


@given(
    st.lists(st.lists(VOTE, min_size=4, max_size=4), min_size=1, max_size=6),
    st.sets(st.integers(0, 5), max_size=2),
)
def test_ranking_sorts_by_the_documented_key(
    grid: list[list[Vote | None]], required: set[int]
) -> None:
    polled = [
        PollOption(n, at(f"2025-03-0{n + 3}T16:00"), at(f"2025-03-0{n + 3}T17:00"))
        for n in range(4)
    ]
    votes = {m: {n: v for n, v in enumerate(row) if v is not None} for m, row in enumerate(grid)}
    ranked = rank_poll_options(polled, votes, required=required)
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    keys = [(not r.required_ok, -r.yes, -r.if_need_be, r.no, r.start) for r in ranked]
    assert keys == sorted(keys)
    members = set(votes) | required
    for r in ranked:
        assert r.yes + r.if_need_be + r.no + r.no_answer == len(members)


# --- Weekly patterns ------------------------------------------------------------------------


def test_a_weekly_pattern_keeps_its_local_time_across_the_change_to_summer_time() -> None:
    tuesdays = WeeklyPattern(weekday=1, start=dt.time(7, 30), end=dt.time(8, 30))
    found = expand_weekly(tuesdays, dt.date(2025, 3, 1), dt.date(2025, 3, 22), NEW_YORK)
    assert found == [
        Interval(at("2025-03-04T12:30"), at("2025-03-04T13:30")),  # EST, UTC-5
        Interval(at("2025-03-11T11:30"), at("2025-03-11T12:30")),  # EDT, UTC-4
        Interval(at("2025-03-18T11:30"), at("2025-03-18T12:30")),
    ]
    for start, _ in found:
        assert start.astimezone(NEW_YORK).time() == dt.time(7, 30)


def test_a_weekly_pattern_in_london_across_the_change_back_in_october() -> None:
    fridays = WeeklyPattern(weekday=4, start=dt.time(9), end=dt.time(12))
    found = expand_weekly(fridays, dt.date(2025, 10, 20), dt.date(2025, 11, 1), "Europe/London")
    assert [s.isoformat() for s, _ in found] == [
        "2025-10-24T08:00:00+00:00",
        "2025-10-31T09:00:00+00:00",
    ]


def test_the_end_day_is_exclusive_and_the_first_day_may_be_the_weekday() -> None:
    mondays = WeeklyPattern(weekday=0, start=dt.time(9), end=dt.time(10))
    found = expand_weekly(mondays, dt.date(2025, 1, 6), dt.date(2025, 1, 20), "UTC")
    assert [s.date() for s, _ in found] == [dt.date(2025, 1, 6), dt.date(2025, 1, 13)]


def test_a_night_shift_runs_into_the_next_morning() -> None:
    nights = WeeklyPattern(weekday=2, start=dt.time(22), end=dt.time(6))
    [(start, end)] = expand_weekly(nights, dt.date(2025, 1, 6), dt.date(2025, 1, 13), "UTC")
    assert (start, end) == (at("2025-01-08T22:00"), at("2025-01-09T06:00"))


def test_a_block_in_the_skipped_hour_covers_every_instant_it_could_mean() -> None:
    sundays = WeeklyPattern(weekday=6, start=dt.time(2, 15), end=dt.time(2, 45))
    [(start, end)] = expand_weekly(sundays, dt.date(2025, 3, 9), dt.date(2025, 3, 10), NEW_YORK)
    # 02:15-02:45 does not exist on 9 March 2025 in New York: 06:15Z..07:45Z covers both readings.
    assert (start, end) == (at("2025-03-09T06:15"), at("2025-03-09T07:45"))


# --- Candidate slots ------------------------------------------------------------------------


def reference_ranking(
    term_start: dt.date,
    term_end: dt.date,
    zone: ZoneInfo,
    busy: Mapping[Hashable, Sequence[tuple[dt.datetime, dt.datetime]]],
    duration: int,
    day_start: dt.time,
    day_end: dt.time,
    weekdays: Collection[int],
    required: Collection[Hashable],
    tick: int,
) -> list[tuple[dt.datetime, int]]:
    """The specification, slowly: every local start, every member, every busy interval."""
    members = set(busy) | set(required)
    blocked = dt.timedelta(minutes=math.ceil(duration / tick) * tick)
    first = day_start.hour * 60 + day_start.minute
    last = day_end.hour * 60 + day_end.minute - duration
    found = []
    day = term_start
    while day < term_end:
        for minute in range(first, last + 1, tick) if day.weekday() in weekdays else ():
            local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=zone)
            start = local.astimezone(UTC)
            if start.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
                continue  # a wall time the clocks skip
            end = start + blocked
            free = {
                member
                for member in members
                if not any(s < end and start < e for s, e in busy.get(member, ()))
            }
            if set(required) <= free:
                found.append((start, len(free)))
        day += dt.timedelta(days=1)
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return found


def pairs(ranking: Sequence[Candidate]) -> list[tuple[dt.datetime, int]]:
    return [(c.start, c.free) for c in ranking]


def test_the_free_slot_everyone_can_make_comes_first() -> None:
    busy = {
        "a": [(at("2025-01-07T09:00"), at("2025-01-07T10:00"))],
        "b": [(at("2025-01-06T09:00"), at("2025-01-06T09:30"))],
    }
    ranking = rank_candidate_slots(
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 8),
        "UTC",
        busy,
        duration_minutes=60,
        day_start=dt.time(9),
        day_end=dt.time(11),
    )
    assert len(ranking) == 10  # 09:00 to 10:00 in quarter hours, on two days
    assert ranking[0] == Candidate(at("2025-01-06T09:30"), at("2025-01-06T10:30"), 2, 2)
    assert [c.start.time() for c in ranking[:3]] == [dt.time(9, 30), dt.time(9, 45), dt.time(10)]
    assert ranking[-1].free == 1
    assert ranking[1:3] == list(ranking)[1:3]


def test_a_start_that_keeps_a_required_member_from_coming_is_no_candidate() -> None:
    busy = {"senior": [(at("2025-01-06T09:00"), at("2025-01-06T10:00"))], "a": []}
    ranking = rank_candidate_slots(
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 7),
        "UTC",
        busy,
        duration_minutes=30,
        day_start=dt.time(9),
        day_end=dt.time(11),
        required={"senior"},
    )
    assert [c.start.time() for c in ranking] == [dt.time(10), dt.time(10, 15), dt.time(10, 30)]


def test_a_slot_at_07_30_stays_at_07_30_local_across_the_change_to_summer_time() -> None:
    ranking = rank_candidate_slots(
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 15),
        "America/New_York",
        {"a": []},
        duration_minutes=60,
        day_start=dt.time(7, 30),
        day_end=dt.time(8, 30),
    )
    starts = sorted(c.start for c in ranking)
    assert len(starts) == 10
    assert {s.astimezone(NEW_YORK).time() for s in starts} == {dt.time(7, 30)}
    assert starts[0] == at("2025-03-03T12:30")
    assert starts[-1] == at("2025-03-14T11:30")


def test_wall_times_the_clocks_skip_are_not_offered() -> None:
    ranking = rank_candidate_slots(
        dt.date(2025, 3, 9),
        dt.date(2025, 3, 10),
        "America/New_York",
        {"a": []},
        duration_minutes=30,
        day_start=dt.time(1),
        day_end=dt.time(4),
        weekdays=range(7),
    )
    local = sorted(c.start.astimezone(NEW_YORK).strftime("%H:%M") for c in ranking)
    assert local == ["01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30"]


def test_bad_arguments_are_refused() -> None:
    args = (dt.date(2025, 1, 6), dt.date(2025, 1, 7), "UTC")
    good = {"duration_minutes": 60, "day_start": dt.time(9), "day_end": dt.time(17)}
    naive = {"a": [(dt.datetime(2025, 1, 6, 9), dt.datetime(2025, 1, 6, 10))]}  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        rank_candidate_slots(*args, naive, **good)
    with pytest.raises(ValueError, match="IANA"):
        rank_candidate_slots(args[0], args[1], "Mars/Olympus", {}, **good)
    with pytest.raises(ValueError, match="after term_start"):
        rank_candidate_slots(args[1], args[0], "UTC", {}, **good)
    with pytest.raises(ValueError, match="divide 60"):
        rank_candidate_slots(*args, {}, **good, tick_minutes=25)
    with pytest.raises(ValueError, match="grid"):
        rank_candidate_slots(*args, {}, **{**good, "day_start": dt.time(9, 10)})
    with pytest.raises(TypeError, match="dates"):
        rank_candidate_slots(at("2025-01-06T00:00"), args[1], "UTC", {}, **good)


ZONES = ["America/New_York", "Europe/London", "UTC", "Asia/Kolkata", "Australia/Lord_Howe"]
# Terms that open a few days before a change of clocks somewhere among the zones.
TERM_STARTS = [
    dt.date(2025, 3, 5),
    dt.date(2025, 3, 27),
    dt.date(2025, 4, 3),
    dt.date(2025, 10, 1),
    dt.date(2025, 10, 23),
    dt.date(2025, 10, 30),
]


@st.composite
def scheduling_problems(draw: st.DrawFn) -> dict:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    term_start = draw(st.sampled_from(TERM_STARTS))
    days = draw(st.integers(1, 10))
    tick = draw(st.sampled_from([15, 30]))
    first_hour = draw(st.integers(0, 20))
    day_start = dt.time(first_hour, draw(st.sampled_from(range(0, 60, tick))))
    day_end = dt.time(draw(st.integers(first_hour + 1, 23)), draw(st.sampled_from([0, 30])))
    origin = dt.datetime.combine(term_start, dt.time(0), tzinfo=UTC) - dt.timedelta(days=1)
    span = (days + 2) * 1440
    interval = st.tuples(st.integers(0, span), st.integers(1, 600)).map(
        lambda pair: (
            origin + dt.timedelta(minutes=pair[0]),
            origin + dt.timedelta(minutes=pair[0] + pair[1]),
        )
    )
    members = draw(st.integers(1, 5))
    busy = {f"m{n}": draw(st.lists(interval, max_size=8)) for n in range(members)}
    return {
        "term_start": term_start,
        "term_end": term_start + dt.timedelta(days=days),
        "zone": zone,
        "busy": busy,
        "duration": draw(st.sampled_from([15, 30, 45, 50, 60, 90])),
        "day_start": day_start,
        "day_end": day_end,
        "weekdays": draw(st.sets(st.integers(0, 6), min_size=1)),
        "required": draw(st.sets(st.sampled_from(sorted(busy)), max_size=2)),
        "tick": tick,
    }


def fast_ranking(problem: dict) -> Sequence[Candidate]:
    return rank_candidate_slots(
        problem["term_start"],
        problem["term_end"],
        problem["zone"],
        problem["busy"],
        duration_minutes=problem["duration"],
        day_start=problem["day_start"],
        day_end=problem["day_end"],
        weekdays=problem["weekdays"],
        required=problem["required"],
        tick_minutes=problem["tick"],
    )


@SLOW
@given(scheduling_problems())
def test_the_fast_ranking_agrees_with_the_naive_reference(problem: dict) -> None:
    expected = reference_ranking(
        problem["term_start"],
        problem["term_end"],
        problem["zone"],
        problem["busy"],
        problem["duration"],
        problem["day_start"],
        problem["day_end"],
        problem["weekdays"],
        problem["required"],
        problem["tick"],
    )
    assert pairs(fast_ranking(problem)) == expected


@SLOW
@given(scheduling_problems())
def test_no_candidate_overlaps_a_required_members_busy_time(problem: dict) -> None:
    for candidate in fast_ranking(problem):
        for member in problem["required"]:
            for start, end in problem["busy"][member]:
                assert not (start < candidate.end and candidate.start < end)


@SLOW
@given(scheduling_problems())
def test_candidates_keep_to_local_wall_clock_hours_and_weekdays(problem: dict) -> None:
    zone, tick = problem["zone"], problem["tick"]
    length = dt.timedelta(minutes=problem["duration"])
    for candidate in fast_ranking(problem):
        local = candidate.start.astimezone(zone)
        wall = local.replace(tzinfo=None)
        assert problem["term_start"] <= local.date() < problem["term_end"]
        assert local.weekday() in problem["weekdays"]
        assert (wall.hour * 60 + wall.minute) % tick == 0
        assert local.time() >= problem["day_start"]
        assert (wall + length).time() <= problem["day_end"]
        assert candidate.end - candidate.start == length
        assert candidate.start.tzinfo is UTC


@given(st.sampled_from(["America/New_York", "Europe/London"]), st.integers(0, 20))
def test_a_daily_slot_keeps_its_wall_clock_time_through_both_changes(tz: str, week: int) -> None:
    term_start = dt.date(2025, 1, 6) + dt.timedelta(weeks=week * 2)
    ranking = rank_candidate_slots(
        term_start,
        term_start + dt.timedelta(weeks=16),
        tz,
        {"a": []},
        duration_minutes=60,
        day_start=dt.time(7, 30),
        day_end=dt.time(8, 30),
    )
    assert len(ranking) == 80
    assert {c.start.astimezone(ZoneInfo(tz)).time() for c in ranking} == {dt.time(7, 30)}
