"""Meeting scheduling without Django: rank poll options, find free slots in a group's time zone."""

# Times in and out are aware datetimes (results in UTC); wall-clock rules such as allowed hours
# and weekly patterns are applied in the group's IANA zone, so 07:30 stays 07:30 local on both
# sides of a change of clocks.

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC
WEEKDAYS = frozenset(range(5))
_LANE_BITS = 8
_MAX_MEMBERS = 254  # a lane is one byte; 255 stays free as a sentinel


class Interval(NamedTuple):
    """A half-open span of time [start, end) between two aware datetimes."""

    start: dt.datetime
    end: dt.datetime


# --- Availability polls ---------------------------------------------------------------------


class Vote(StrEnum):
    """A member's answer to one poll option."""

    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


@dataclass(frozen=True)
class PollOption:
    """One proposed meeting time in an availability poll."""

    id: Hashable
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class OptionRanking:
    """How one poll option fares: its place, its vote counts and the reasons, in words."""

    option_id: Hashable
    rank: int
    start: dt.datetime
    end: dt.datetime
    yes: int
    if_need_be: int
    no: int
    no_answer: int
    required_ok: bool
    required_missing: tuple[Hashable, ...]
    reasons: tuple[str, ...]


def parse_vote(value: Vote | str) -> Vote:
    """The Vote for ``value``, accepting "if need be" and "if-need-be" spellings."""
    try:
        return Vote(str(value).strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise ValueError(f"{value!r} is not a vote: use yes, if_need_be or no") from None


def rank_poll_options(
    options: Sequence[PollOption],
    votes: Mapping[Hashable, Mapping[Hashable, Vote | str]],
    *,
    required: Collection[Hashable] = frozenset(),
    members: Collection[Hashable] | None = None,
) -> list[OptionRanking]:
    """Rank poll options: required members able to come, then most yes, if-need-be, fewest no."""
    _check_options(options)
    everyone = (set(votes) if members is None else set(members)) | set(required)
    parsed = {m: {o: parse_vote(v) for o, v in answers.items()} for m, answers in votes.items()}
    scored = [_score_option(option, parsed, everyone, required) for option in options]
    scored.sort(key=_option_sort_key)
    return [replace(option, rank=place) for place, option in enumerate(scored, start=1)]


def _check_options(options: Sequence[PollOption]) -> None:
    ids = [option.id for option in options]
    if len(set(ids)) != len(ids):
        raise ValueError("poll option ids must be unique")
    for option in options:
        _require_aware(option.start, f"poll option {option.id!r} start")


def _score_option(
    option: PollOption,
    votes: Mapping[Hashable, Mapping[Hashable, Vote]],
    members: set[Hashable],
    required: Collection[Hashable],
) -> OptionRanking:
    answers = {member: votes.get(member, {}).get(option.id) for member in members}
    tally = {vote: sum(1 for answer in answers.values() if answer is vote) for vote in Vote}
    no_answer = sum(1 for answer in answers.values() if answer is None)
    required_votes = [(member, answers.get(member)) for member in sorted(required, key=str)]
    missing = tuple(m for m, v in required_votes if v not in (Vote.YES, Vote.IF_NEED_BE))
    counts = (tally[Vote.YES], tally[Vote.IF_NEED_BE], tally[Vote.NO], no_answer)
    return OptionRanking(
        option_id=option.id,
        rank=0,
        start=option.start,
        end=option.end,
        yes=counts[0],
        if_need_be=counts[1],
        no=counts[2],
        no_answer=no_answer,
        required_ok=not missing,
        required_missing=missing,
        reasons=_option_reasons(counts, required_votes),
    )


def _option_sort_key(option: OptionRanking) -> tuple[bool, int, int, int, dt.datetime]:
    return (not option.required_ok, -option.yes, -option.if_need_be, option.no, option.start)


def _option_reasons(
    counts: tuple[int, int, int, int], required_votes: list[tuple[Hashable, Vote | None]]
) -> tuple[str, ...]:
    said_no = sum(1 for _, vote in required_votes if vote is Vote.NO)
    silent = sum(1 for _, vote in required_votes if vote is None)
    reasons = []
    if said_no:
        reasons.append(_how_many(said_no, "cannot come"))
    elif silent:
        reasons.append(_how_many(silent, "has not answered", "have not answered"))
    labels = ("yes", "if need be", "no", "no answer")
    tally = ", ".join(f"{n} {label}" for n, label in zip(counts, labels, strict=True) if n)
    reasons.append(tally or "no members")
    reasons.extend(
        f"required member {member} {_REQUIRED_TEXT[vote]}" for member, vote in required_votes
    )
    return tuple(reasons)


_REQUIRED_TEXT = {
    Vote.YES: "can come",
    Vote.IF_NEED_BE: "can come if need be",
    Vote.NO: "cannot come",
    None: "has not answered",
}


def _how_many(count: int, singular: str, plural: str | None = None) -> str:
    if count == 1:
        return f"a required member {singular}"
    return f"{count} required members {plural or singular}"


# --- Weekly patterns ------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyPattern:
    """A weekly busy block in local time, e.g. Tuesdays 07:30-08:30; an end ≤ start is overnight."""

    weekday: int  # Monday is 0
    start: dt.time
    end: dt.time


def expand_weekly(
    pattern: WeeklyPattern, start_day: dt.date, end_day: dt.date, tz: str | ZoneInfo
) -> list[Interval]:
    """UTC occurrences of a weekly pattern on local days start_day ≤ day < end_day."""
    zone = as_zone(tz)
    if not 0 <= pattern.weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {pattern.weekday}")
    first = start_day + dt.timedelta(days=(pattern.weekday - start_day.weekday()) % 7)
    overnight = pattern.end <= pattern.start
    result = []
    for offset in range(0, max(0, (end_day - first).days), 7):
        day = first + dt.timedelta(days=offset)
        end_date = day + dt.timedelta(days=1) if overnight else day
        start = earliest_instant(day, pattern.start, zone)
        result.append(Interval(start, latest_instant(end_date, pattern.end, zone)))
    return result


# --- Time-zone helpers ----------------------------------------------------------------------


def as_zone(tz: str | dt.tzinfo) -> ZoneInfo:
    """The ZoneInfo for an IANA name (or a ZoneInfo), or ValueError naming the bad zone."""
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{tz!r} is not a known IANA time zone") from None


def _both_instants(day: dt.date, wall: dt.time, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    local = dt.datetime.combine(day, wall, tzinfo=zone)
    return local.astimezone(UTC), local.replace(fold=1).astimezone(UTC)


def earliest_instant(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The earliest UTC instant a local wall time can mean (first of a repeated hour)."""
    return min(_both_instants(day, wall, zone))


def latest_instant(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The latest UTC instant a local wall time can mean (second of a repeated hour)."""
    return max(_both_instants(day, wall, zone))


def existing_instant(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    """The UTC instant of a local wall time (the first if repeated), or None if it is skipped."""
    first, second = _both_instants(day, wall, zone)
    return first if first <= second else None


def _require_aware(value: dt.datetime, what: str) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, not {value!r}")


# --- Candidate slots over a term ------------------------------------------------------------


class Candidate(NamedTuple):
    """A possible meeting start: its UTC span and how many members are free for all of it."""

    start: dt.datetime
    end: dt.datetime
    free: int
    members: int


class CandidateRanking(Sequence[Candidate]):
    """Candidates best first; each is built when read, so showing the top ten costs little."""

    def __init__(
        self, grid: _Grid, duration: dt.timedelta, ticks: list[int], counts: bytes, members: int
    ) -> None:
        self._grid = grid
        self._duration = duration
        self._ticks = ticks
        self._counts = counts
        self.members = members

    def __len__(self) -> int:
        return len(self._ticks)

    @overload
    def __getitem__(self, index: int) -> Candidate: ...

    @overload
    def __getitem__(self, index: slice) -> list[Candidate]: ...

    def __getitem__(self, index: int | slice) -> Candidate | list[Candidate]:
        if isinstance(index, slice):
            return [self._candidate(tick) for tick in self._ticks[index]]
        return self._candidate(self._ticks[index])

    def __iter__(self) -> Iterator[Candidate]:
        return (self._candidate(tick) for tick in self._ticks)

    def __repr__(self) -> str:
        return f"<CandidateRanking: {len(self)} candidates for {self.members} members>"

    def _candidate(self, tick: int) -> Candidate:
        start = self._grid.origin + tick * self._grid.tick
        return Candidate(start, start + self._duration, self._counts[tick], self.members)


@dataclass(frozen=True)
class _Grid:
    """Ticks of equal length from the UTC instant of local midnight on the first day."""

    origin: dt.datetime
    tick: dt.timedelta
    size: int
    shift: int  # seconds the first day's local midnight is ahead of UTC

    @property
    def tick_seconds(self) -> int:
        """The length of a tick in whole seconds."""
        return int(self.tick.total_seconds())

    def index(self, instant: dt.datetime) -> int:
        """The tick that starts at ``instant``, which must lie on the grid."""
        return self.exact(int((instant - self.origin).total_seconds()))

    def exact(self, seconds: int) -> int:
        """The tick that starts ``seconds`` after the origin, which must be a whole tick."""
        ticks, rest = divmod(seconds, self.tick_seconds)
        if rest:
            raise ValueError(
                f"a start {seconds} s into the term is off the {self.tick} grid: the zone's "
                "UTC offset changes by less than a tick; use a smaller tick_minutes"
            )
        return ticks


def rank_candidate_slots(
    term_start: dt.date,
    term_end: dt.date,
    tz: str | ZoneInfo,
    busy: Mapping[Hashable, Iterable[tuple[dt.datetime, dt.datetime]]],
    *,
    duration_minutes: int,
    day_start: dt.time,
    day_end: dt.time,
    weekdays: Collection[int] = WEEKDAYS,
    required: Collection[Hashable] = frozenset(),
    tick_minutes: int = 15,
) -> CandidateRanking:
    """Local starts on term days (term_end exclusive), most members free first, then earliest.

    A start is a candidate on an allowed weekday, on the local tick grid, with the meeting inside
    day_start..day_end local and every required member free; freedom is judged in whole ticks,
    so a 50-minute meeting with 15-minute ticks needs 60 free minutes.
    """
    zone = as_zone(tz)
    _check_slot_arguments(term_start, term_end, duration_minutes, day_start, day_end, tick_minutes)
    members = set(busy) | set(required)
    if len(members) > _MAX_MEMBERS:
        raise ValueError(f"at most {_MAX_MEMBERS} members can be ranked at once")
    grid = _make_grid(term_start, term_end, zone, tick_minutes)
    width = math.ceil(duration_minutes / tick_minutes)
    starts = _candidate_ticks(grid, zone, term_start, term_end, weekdays, day_start, day_end, width)
    counts, blocked_required = _free_counts(grid, busy, members, set(required), width)
    if blocked_required:
        starts = [tick for tick in starts if not blocked_required[tick]]
    starts.sort(key=counts.__getitem__, reverse=True)  # stable: ties stay earliest first
    duration = dt.timedelta(minutes=duration_minutes)
    return CandidateRanking(grid, duration, starts, counts, len(members))


def _check_slot_arguments(
    term_start: dt.date,
    term_end: dt.date,
    duration_minutes: int,
    day_start: dt.time,
    day_end: dt.time,
    tick_minutes: int,
) -> None:
    if isinstance(term_start, dt.datetime) or isinstance(term_end, dt.datetime):
        raise TypeError("term_start and term_end are local dates, not datetimes")
    if term_end <= term_start:
        raise ValueError("term_end must be after term_start (it is the day after the last day)")
    if tick_minutes <= 0 or 60 % tick_minutes:
        raise ValueError(f"tick_minutes must divide 60, not {tick_minutes}")
    if duration_minutes <= 0:
        raise ValueError("duration_minutes must be positive")
    if day_end <= day_start:
        raise ValueError("day_end must be later than day_start on the same day")
    for wall in (day_start, day_end):
        if wall.tzinfo is not None or wall.second or wall.microsecond or wall.minute % tick_minutes:
            raise ValueError(f"{wall} must be a naive local time on the {tick_minutes}-minute grid")


def _make_grid(term_start: dt.date, term_end: dt.date, zone: ZoneInfo, tick_minutes: int) -> _Grid:
    origin = earliest_instant(term_start, dt.time(0), zone)
    stop = latest_instant(term_end, dt.time(0), zone)
    tick = dt.timedelta(minutes=tick_minutes)
    shift = dt.datetime.combine(term_start, dt.time(0), tzinfo=UTC) - origin
    return _Grid(origin, tick, -((origin - stop) // tick), int(shift.total_seconds()))


def _seconds(wall: dt.time) -> int:
    return wall.hour * 3600 + wall.minute * 60


def _candidate_ticks(
    grid: _Grid,
    zone: ZoneInfo,
    term_start: dt.date,
    term_end: dt.date,
    weekdays: Collection[int],
    day_start: dt.time,
    day_end: dt.time,
    width: int,
) -> list[int]:
    allowed = frozenset(weekdays)
    probes = (day_start, day_end, day_end.replace(fold=1))
    opening, closing = _seconds(day_start), _seconds(day_end) - width * grid.tick_seconds
    ticks: list[int] = []
    for offset in range((term_end - term_start).days):
        day = term_start + dt.timedelta(days=offset)
        if day.weekday() not in allowed:
            continue
        steady = _steady_offset(day, probes, zone)
        if steady is None:
            ticks.extend(_ticks_across_a_change(grid, zone, day, day_start, day_end, width))
            continue
        midnight = offset * 86400 + grid.shift - steady
        ticks.extend(range(grid.exact(midnight + opening), grid.exact(midnight + closing) + 1))
    return ticks


def _steady_offset(day: dt.date, probes: tuple[dt.time, ...], zone: ZoneInfo) -> int | None:
    """The zone's UTC offset in seconds if it is the same at every probe time, else None."""
    # A start in a skipped or repeated hour already differs from the end; only an end in such
    # an hour needs both folds probed.
    first, *others = (dt.datetime.combine(day, wall, zone).utcoffset() for wall in probes)
    if first is None or any(other != first for other in others):
        return None
    return int(first.total_seconds())


def _ticks_across_a_change(
    grid: _Grid, zone: ZoneInfo, day: dt.date, day_start: dt.time, day_end: dt.time, width: int
) -> list[int]:
    """Ticks one by one on a day whose UTC offset changes within the allowed hours."""
    step = int(grid.tick.total_seconds())
    ticks = []
    for second in range(_seconds(day_start), _seconds(day_end) - width * step + 1, step):
        instant = existing_instant(day, dt.time(second // 3600, second % 3600 // 60), zone)
        if instant is not None:
            ticks.append(grid.index(instant))
    return ticks


def _free_counts(
    grid: _Grid,
    busy: Mapping[Hashable, Iterable[tuple[dt.datetime, dt.datetime]]],
    members: set[Hashable],
    required: set[Hashable],
    width: int,
) -> tuple[bytes, bytes]:
    """Per tick, one byte counting members free for ``width`` ticks from it; and required-busy."""
    one_bytes = memoryview(b"\x01" * grid.size)
    ones = int.from_bytes(one_bytes, "little")
    total = ones * (len(members) - len(busy.keys() & members))
    blocked_required = 0
    for member, intervals in busy.items():
        blocked = _spread_back(_busy_lanes(grid, intervals, member, one_bytes), width)
        total += ones ^ blocked
        if member in required:
            blocked_required |= blocked
    counts = total.to_bytes(grid.size, "little")
    return counts, blocked_required.to_bytes(grid.size, "little") if blocked_required else b""


def _busy_lanes(
    grid: _Grid,
    intervals: Iterable[tuple[dt.datetime, dt.datetime]],
    member: Hashable,
    ones: memoryview,
) -> int:
    """One byte per tick, 1 where the member is busy for any part of it."""
    lanes = bytearray(grid.size)
    origin, tick, size = grid.origin, grid.tick, grid.size
    try:
        spans = [((start - origin) // tick, -((origin - end) // tick)) for start, end in intervals]
    except TypeError:
        raise ValueError(f"busy times of member {member!r} must be aware datetimes") from None
    for first, stop in spans:
        if not 0 <= first < stop <= size:  # empty, or crossing the edge of the term
            first, stop = max(first, 0), min(stop, size)
            if first >= stop:
                continue
        lanes[first:stop] = ones[: stop - first]
    return int.from_bytes(lanes, "little")


def _spread_back(lanes: int, width: int) -> int:
    """Lane i set when any of lanes i … i+width-1 is set: the starts a busy tick rules out."""
    spread, covered = lanes, 1
    while covered * 2 <= width:
        spread |= spread >> (covered * _LANE_BITS)
        covered *= 2
    if covered < width:
        spread |= spread >> ((width - covered) * _LANE_BITS)
    return spread
