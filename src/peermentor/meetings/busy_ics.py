"""Busy times from an .ics file exported by Outlook, Google or Apple, as merged UTC intervals."""

from __future__ import annotations

import datetime as dt
import re
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import x_wr_timezone
from icalendar.error import GloballyUniqueTZIDGuessed
from icalendar.prop import vBroken, vPeriod
from icalendar.timezone import tzp

from peermentor.meetings.slots import Interval, as_zone, earliest_instant, latest_instant

UTC = dt.UTC
MAX_BYTES = 2_000_000
MAX_EVENTS = 5_000
MAX_OCCURRENCES = 50_000
MAX_DEPTH = 8
SERIES_STEPS = 100_000  # rule steps one series may take to reach the window (about 0.5 s)
FILE_STEPS = 400_000  # and all series together
_TIMING = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_ZONED = ("DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE")
_NAME = re.compile(r"[A-Za-z0-9-]+")
_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# icalendar keeps time zones defined by VTIMEZONE components in one cache for the whole
# process; one upload must neither see nor leave behind another's definitions.
_PARSING = threading.Lock()


class IcsError(ValueError):
    """An uploaded calendar that cannot be read; the message says what was wrong and where."""


@dataclass(frozen=True)
class BusyCalendar:
    """Busy intervals read from a calendar file, and the events skipped, with the reason."""

    intervals: list[Interval]
    skipped: list[str] = field(default_factory=list)


def read_busy_intervals(
    data: bytes,
    *,
    window_start: dt.datetime,
    window_end: dt.datetime,
    file_name: str = "calendar.ics",
    default_tz: str | ZoneInfo = "UTC",
    max_bytes: int = MAX_BYTES,
    max_events: int = MAX_EVENTS,
) -> list[Interval]:
    """Merged, sorted UTC busy intervals of an .ics file inside [window_start, window_end)."""
    return read_busy_ics(
        data,
        window_start=window_start,
        window_end=window_end,
        file_name=file_name,
        default_tz=default_tz,
        max_bytes=max_bytes,
        max_events=max_events,
    ).intervals


def read_busy_ics(
    data: bytes,
    *,
    window_start: dt.datetime,
    window_end: dt.datetime,
    file_name: str = "calendar.ics",
    default_tz: str | ZoneInfo = "UTC",
    max_bytes: int = MAX_BYTES,
    max_events: int = MAX_EVENTS,
) -> BusyCalendar:
    """Busy intervals of an .ics file in a window, and the events skipped, or IcsError saying why.

    Floating and all-day times are read in the file's X-WR-TIMEZONE, else in ``default_tz``;
    messages name the file, line and UID but never an event's summary, which may be private.
    """
    _check_window(window_start, window_end)
    reader = _Reader(file_name, as_zone(default_tz), window_start, window_end)
    scan = _scan(_decode(data, file_name, max_bytes), file_name, max_events)
    with _PARSING:
        _forget_time_zones()
        try:
            for calendar in _parse(scan.text, file_name):
                reader.read_calendar(calendar, scan.event_lines)
        except IcsError:
            raise
        except Exception as error:  # whatever slipped past the checks still gets a message
            raise IcsError(
                f"{file_name} could not be read: after {reader.event_index} events, one is "
                "malformed in a way this reader does not understand"
            ) from error
        finally:
            _forget_time_zones()
    return BusyCalendar(merge_intervals(reader.busy), reader.skipped)


def _forget_time_zones() -> None:
    """Drop the VTIMEZONEs earlier uploads defined from icalendar's process-wide cache."""
    tzp.use_zoneinfo()


def merge_intervals(intervals: Iterable[tuple[dt.datetime, dt.datetime]]) -> list[Interval]:
    """Sorted intervals with overlapping and touching ones joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, end)
        else:
            merged.append(Interval(start, end))
    return merged


def _check_window(window_start: dt.datetime, window_end: dt.datetime) -> None:
    for moment in (window_start, window_end):
        if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
            raise ValueError(f"the window needs aware datetimes, not {moment!r}")
    if window_end <= window_start:
        raise ValueError("window_end must be after window_start")


# --- Bytes to checked content lines ---------------------------------------------------------


def _decode(data: bytes, file_name: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise IcsError(
            f"{file_name} is {len(data):,} bytes; a calendar file may be at most {max_bytes:,}"
        )
    data = bytes(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise IcsError(f"{file_name} is empty: it is not an iCalendar file")
    if "\x00" in text:
        raise IcsError(f"{file_name} is not an iCalendar file: it holds binary data")
    return text


@dataclass
class _Scan:
    """The lines inside VCALENDAR blocks, unfolded, and where each VEVENT begins."""

    text: str = ""
    event_lines: list[int] = field(default_factory=list)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on."""
    number, current = 0, None
    for index, line in enumerate(_NEWLINE.split(text), start=1):
        if line[:1] in (" ", "\t") and current is not None:
            current += line[1:]
        elif line.strip():
            if current is not None:
                yield number, current
            number, current = index, line
    if current is not None:
        yield number, current


def _scan(text: str, file_name: str, max_events: int) -> _Scan:
    lines = _logical_lines(text)
    first = next(lines, (1, ""))[1].strip()
    if first.upper() != "BEGIN:VCALENDAR":
        raise IcsError(f"{file_name} is not an iCalendar file: {_opening(first)}")
    scan = _Scan()
    kept = [first]
    stack = [("VCALENDAR", 1)]
    for number, line in lines:
        if not stack:
            if line.strip().upper() == "BEGIN:VCALENDAR":
                stack.append(("VCALENDAR", number))
                kept.append(line)
            continue  # anything between calendars (such as X-COMMENT) means nothing
        _check_line(line, number, stack, scan, file_name, max_events)
        kept.append(line)
    if stack:
        name, number = stack[-1]
        raise IcsError(f"{file_name}: BEGIN:{name} on line {number} is never closed (cut short?)")
    scan.text = "\r\n".join(kept) + "\r\n"
    return scan


def _opening(first: str) -> str:
    begin = re.fullmatch(r"BEGIN:([A-Za-z-]{1,30})", first, flags=re.IGNORECASE)
    if begin:
        return f"it begins with BEGIN:{begin.group(1).upper()}, not BEGIN:VCALENDAR"
    return "it does not begin with BEGIN:VCALENDAR"


def _check_line(
    line: str,
    number: int,
    stack: list[tuple[str, int]],
    scan: _Scan,
    file_name: str,
    max_events: int,
) -> None:
    where = f"{file_name}, line {number}"
    if not _LINE.match(line):
        raise IcsError(f"{where}: this is not an iCalendar content line (NAME:value)")
    name, _, value = line.partition(":")
    keyword, value = name.strip().upper(), value.strip().upper()
    if keyword not in ("BEGIN", "END"):
        return
    if not _NAME.fullmatch(value):
        raise IcsError(f"{where}: {keyword} needs a component name such as VEVENT")
    if keyword == "END":
        _close(value, number, stack, where)
        return
    stack.append((value, number))
    if len(stack) > MAX_DEPTH:
        raise IcsError(f"{where}: components are nested more than {MAX_DEPTH} deep")
    if value == "VEVENT":
        scan.event_lines.append(number)
        if len(scan.event_lines) > max_events:
            raise IcsError(f"{file_name} has more than {max_events:,} events, the limit")


def _close(name: str, number: int, stack: list[tuple[str, int]], where: str) -> None:
    opened, opened_on = stack[-1]
    if name != opened:
        raise IcsError(
            f"{where}: END:{name[:30]} does not close BEGIN:{opened} on line {opened_on}"
        )
    stack.pop()


def _parse(text: str, file_name: str) -> list[icalendar.Calendar]:
    try:
        with warnings.catch_warnings():
            # a TZID such as /mozilla.org/20050126_1/Europe/Berlin is read as Europe/Berlin
            warnings.simplefilter("ignore", GloballyUniqueTZIDGuessed)
            return icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as error:  # the library's messages quote lines, which may be private
        raise IcsError(
            f"{file_name} could not be read as iCalendar: a property or time zone in it is "
            "malformed"
        ) from error


# --- Calendars to busy intervals ------------------------------------------------------------


class _Reader:
    """Collects busy intervals and skip notes from the calendars of one file."""

    def __init__(
        self, file_name: str, default_zone: ZoneInfo, start: dt.datetime, end: dt.datetime
    ) -> None:
        self.file_name = file_name
        self.default_zone = default_zone
        self.start = start.astimezone(UTC)
        self.end = end.astimezone(UTC)
        self.busy: list[Interval] = []
        self.skipped: list[str] = []
        self.steps = 0
        self.event_index = 0

    def read_calendar(self, calendar: icalendar.Calendar, event_lines: list[int]) -> None:
        """Add the busy times of one VCALENDAR."""
        zone = self._calendar_zone(calendar)
        if "X-WR-TIMEZONE" in calendar:
            calendar = x_wr_timezone.to_standard(calendar, timezone=zone)
        groups: dict[tuple[str, int], list[tuple[Any, str]]] = {}
        for event in calendar.walk("VEVENT"):
            line = event_lines[self.event_index] if self.event_index < len(event_lines) else 0
            self.event_index += 1
            label = _label(event, line)
            if self._usable(event, label):
                key = (uid, 0) if (uid := _uid(event)) else ("", self.event_index)
                groups.setdefault(key, []).append((event, label))
        if str(calendar.get("METHOD", "")).strip().upper() == "CANCEL":
            self.skipped.extend(
                f"{label} skipped: the file cancels it" for _, label in _all(groups)
            )
            groups = {}
        for members in groups.values():
            self._read_series(members, zone)
        for period in _free_busy_periods(calendar):
            self._add(period.start, period.end, zone, "a VFREEBUSY period")

    def _calendar_zone(self, calendar: icalendar.Calendar) -> dt.tzinfo:
        name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
        if not name:
            return self.default_zone
        zone = tzp.timezone(name)
        if zone is None:
            raise IcsError(
                f"{self.file_name}: X-WR-TIMEZONE {_short(name)!r} is not a known time zone"
            )
        return zone

    def _usable(self, event: Any, label: str) -> bool:
        broken = next((name for name in _TIMING if _is_broken(event.get(name))), None)
        if broken:
            return self._skip(label, f"its {broken} could not be read")
        tzid = _unknown_tzid(event)
        if tzid:
            raise IcsError(
                f"{self.file_name}: {label} uses time zone {_short(tzid)!r}, which the file "
                "does not define and which is neither an IANA nor a Windows time zone name"
            )
        if "DTSTART" not in event:
            return self._skip(label, "it has no DTSTART")
        if not isinstance(event["DTSTART"].dt, dt.date):
            return self._skip(label, "its DTSTART is neither a date nor a date and time")
        steps = _rule_steps(event, self.end)
        if steps > SERIES_STEPS:
            return self._skip(label, "it repeats too often for too long to work out")
        self.steps += steps
        if self.steps > FILE_STEPS:
            raise IcsError(
                f"{self.file_name}: its repeating events are too many to work out; "
                f"the last one counted was {label}"
            )
        return True

    def _skip(self, label: str, reason: str) -> bool:
        self.skipped.append(f"{label} skipped: {reason}")
        return False

    def _read_series(self, members: list[tuple[Any, str]], zone: dt.tzinfo) -> None:
        events = _busy_components([event for event, _ in members])
        label = members[0][1]
        if not events:
            return
        if len(events) == 1 and not any(name in events[0] for name in _RECURRING):
            self._add(*_single_span(events[0]), zone, label)
            return
        try:
            spans = list(_occurrences(events, self.start, self.end))
        except Exception:  # a malformed series is skipped, not fatal
            self._skip(label, "its repetition could not be worked out")
            return
        for start, end in spans:
            self._add(start, end, zone, label)

    def _add(self, start: dt.date, end: dt.date | None, zone: dt.tzinfo, label: str) -> None:
        span = _utc_span(start, end, zone)
        if span is None:
            return
        first, last = max(span[0], self.start), min(span[1], self.end)
        if first < last:
            self.busy.append(Interval(first, last))
            if len(self.busy) > MAX_OCCURRENCES:
                raise IcsError(
                    f"{self.file_name} has more than {MAX_OCCURRENCES:,} busy periods in the "
                    f"window (the last one counted was from {label}); choose a shorter window"
                )


_RECURRING = ("RRULE", "RDATE", "RECURRENCE-ID")


def _all(groups: dict[tuple[str, int], list[tuple[Any, str]]]) -> Iterator[tuple[Any, str]]:
    for members in groups.values():
        yield from members


def _uid(event: Any) -> str:
    value = event.get("UID")
    return "" if value is None or _is_broken(value) else str(value).strip()


def _label(event: Any, line: int) -> str:
    uid = _uid(event)
    where = f" (line {line})" if line else ""
    if uid:
        return f"event {_short(uid)!r}{where}"
    return f"the event on line {line}" if line else "an event without a UID"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _is_broken(value: Any) -> bool:
    return any(isinstance(item, vBroken) for item in _as_list(value))


def _unknown_tzid(event: Any) -> str | None:
    """A TZID that neither the file nor the zone database knows: its times stayed naive."""
    for name in _ZONED:
        for prop in _as_list(event.get(name)):
            tzid = prop.params.get("TZID")
            if tzid and any(_is_naive(value) for value in _values(prop)):
                return str(tzid)
    return None


def _values(prop: Any) -> Iterator[Any]:
    for item in getattr(prop, "dts", None) or [prop]:
        value = item.dt
        yield from value if isinstance(value, tuple) else (value,)


def _is_naive(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.tzinfo is None


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return "" if value is None or _is_broken(value) else str(value).strip().upper()


def _is_free(event: Any) -> bool:
    """Transparent, cancelled or marked free by Outlook: the time stays available."""
    return (
        _text(event, "TRANSP") == "TRANSPARENT"
        or _text(event, "STATUS") == "CANCELLED"
        or _text(event, "X-MICROSOFT-CDO-BUSYSTATUS") == "FREE"
    )


def _busy_components(events: list[Any]) -> list[Any]:
    """The busy members of one series; a free moved occurrence becomes an EXDATE of its series.

    A free master is dropped while its busy moved occurrences stay, standing on their own.
    """
    masters = [event for event in events if "RECURRENCE-ID" not in event and not _is_free(event)]
    kept = list(masters)
    for moved in (event for event in events if "RECURRENCE-ID" in event):
        if not _is_free(moved):
            kept.append(moved)
            continue
        for master in masters:
            master.add("EXDATE", _as_utc(moved["RECURRENCE-ID"].dt))
    return kept


def _as_utc(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def _single_span(event: Any) -> tuple[dt.date, dt.date | None]:
    start = event["DTSTART"].dt
    if "DTEND" in event:
        return start, event["DTEND"].dt
    if "DURATION" in event and isinstance(event["DURATION"].dt, dt.timedelta):
        return start, start + event["DURATION"].dt
    return start, None


def _occurrences(
    events: list[Any], start: dt.datetime, end: dt.datetime
) -> Iterator[tuple[dt.date, dt.date]]:
    """Occurrences of one series near the window (a day either side, for all-day events)."""
    series = icalendar.Calendar()
    series.subcomponents = events
    query = recurring_ical_events.CalendarQuery(series)
    margin = dt.timedelta(days=1)
    for each in query.series:
        for occurrence in each.between(start - margin, end + margin):
            yield occurrence.start, occurrence.end


def _utc_span(
    start: dt.date, end: dt.date | None, zone: dt.tzinfo
) -> tuple[dt.datetime, dt.datetime] | None:
    """The UTC span of an event; all-day events fill whole local days, floating times are local."""
    if not isinstance(start, dt.datetime):
        last = start + dt.timedelta(days=1)
        if isinstance(end, dt.date) and not isinstance(end, dt.datetime) and end > start:
            last = end  # DTEND of an all-day event is the day after its last day
        return _local(start, dt.time(0), zone, earliest=True), _local(
            last, dt.time(0), zone, earliest=True
        )
    if not isinstance(end, dt.datetime) or end <= start:
        return None  # a moment, not a span: nothing is blocked
    return _instant(start, zone, earliest=True), _instant(end, zone, earliest=False)


def _instant(moment: dt.datetime, zone: dt.tzinfo, *, earliest: bool) -> dt.datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return _local(moment.date(), moment.time(), zone, earliest=earliest)


def _local(day: dt.date, wall: dt.time, zone: dt.tzinfo, *, earliest: bool) -> dt.datetime:
    if isinstance(zone, ZoneInfo):
        return (earliest_instant if earliest else latest_instant)(day, wall, zone)
    return dt.datetime.combine(day, wall, zone).astimezone(UTC)


def _free_busy_periods(calendar: icalendar.Calendar) -> Iterator[Any]:
    """FREEBUSY periods of every type but FREE (unknown types count as busy, as RFC 5545 says)."""
    for component in calendar.walk("VFREEBUSY"):
        for period in _as_list(component.get("FREEBUSY")):
            if isinstance(period, vPeriod) and _fbtype(period) != "FREE":
                yield period


def _fbtype(period: vPeriod) -> str:
    return str(period.params.get("FBTYPE", "BUSY")).strip().upper()


def _rule_steps(event: Any, window_end: dt.datetime) -> int:
    """About how many steps the recurrence rules take from DTSTART to the window's end."""
    first = _ordinal(event["DTSTART"].dt)
    total = 0
    for rule in _as_list(event.get("RRULE")):
        last = min([window_end.toordinal(), *(_ordinal(u) for u in rule.get("UNTIL", []))])
        steps = max(0, last - first + 1) * _steps_per_day(rule)
        interval = max(1, int(rule.get("INTERVAL", [1])[0]))
        count = rule.get("COUNT")
        total += min(int(steps / interval), int(count[0])) if count else int(steps / interval)
    return total


_PER_DAY = {"SECONDLY": 86_400, "MINUTELY": 1_440, "HOURLY": 24, "DAILY": 1}
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")


def _steps_per_day(rule: Any) -> float:
    frequency = str(rule.get("FREQ", ["DAILY"])[0]).upper()
    times = 1
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        times *= max(1, len(rule.get(part, [])))
    if frequency in _PER_DAY:
        return _PER_DAY[frequency] * times
    if frequency == "WEEKLY":
        return max(1, len(rule.get("BYDAY", []))) / 7 * times
    fills_days = any(part in rule for part in _DAY_PARTS)
    if frequency == "MONTHLY":
        return (1 if fills_days else 1 / 30) * times
    return (1 if fills_days else max(1, len(rule.get("BYMONTH", []))) / 365) * times


def _ordinal(value: dt.date) -> int:
    return value.toordinal()
