"""Busy times from .ics files: real exports from the sample folder, edge cases, hostile input."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from peermentor.meetings.busy_ics import (
    BusyCalendar,
    IcsError,
    merge_intervals,
    read_busy_ics,
    read_busy_intervals,
)
from peermentor.meetings.slots import Interval

UTC = dt.UTC
WIDE = (dt.datetime(2010, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 1, tzinfo=UTC))
JANUARY = (dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2024, 2, 1, tzinfo=UTC))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def span(start: str, end: str) -> Interval:
    return Interval(at(start), at(end))


def read(
    data: bytes, window: tuple[dt.datetime, dt.datetime] = JANUARY, **options: object
) -> BusyCalendar:
    return read_busy_ics(
        data,
        window_start=window[0],
        window_end=window[1],
        **options,  # type: ignore[arg-type]
    )


def calendar(*parts: str, head: str = "") -> bytes:
    lines = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + head + "".join(parts)
    return (lines + "END:VCALENDAR\r\n").encode()


def event(uid: str, *lines: str) -> str:
    return "".join(f"{line}\r\n" for line in ("BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"))


# --- The sample exports -------------------------------------------------------------------


def sample_folder() -> Path:
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return Path(folder) / "samples" / "ical"


def sample(name: str) -> bytes:
    return (sample_folder() / name).read_bytes()


def weekdays_between(first: dt.date, last: dt.date) -> int:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return sum(1 for day in days if day.weekday() < 5)


# What each sample holds, worked out by hand from its text (window: 2010 to 2026, UTC): the
# intervals, their number, or the start of the message that rejects the file.
EXPECTED: dict[str, list[Interval] | int | str] = {
    # A VTIMEZONE named "UTC+11" defined in the file: 23:00 local is 12:00 UTC.
    "bad_tzid.ics": [span("2017-02-28T12:00", "2017-02-28T12:30")],
    # An all-day BlackBerry meeting: the whole day, read in the default zone (UTC).
    "blackberry_request_attendees.ics": [span("2012-08-14T00:00", "2012-08-15T00:00")],
    "bom_calendar.ics": [],
    "calendar_with_unicode.ics": [],
    # A bare VEVENT with no VCALENDAR around it is not a calendar export.
    "event_rrule_exdates.ics": "it begins with BEGIN:VEVENT, not BEGIN:VCALENDAR",
    # Three holidays, all TRANSP:TRANSPARENT: nothing is busy.
    "example.ics": [],
    # Daily 26-28 April 2020, 14:00 Berlin, with 27 April taken out by a UTC EXDATE.
    "exchange2010_exdate.ics": [
        span("2020-04-26T12:00", "2020-04-26T12:30"),
        span("2020-04-28T12:00", "2020-04-28T12:30"),
    ],
    # TZID "Pacific Standard Time": noon PST.
    "exchange2010_request_windows_tzid.ics": [span("2017-02-24T20:00", "2017-02-24T20:30")],
    # TZID=Eastern Standard Time, unquoted: 17:00 EDT.
    "exchange2010_unquoted_windows_tzid.ics": [span("2024-10-28T21:00", "2024-10-28T22:00")],
    "freebusy_reply.ics": [
        span("2012-01-03T09:15", "2012-01-03T10:15"),
        span("2012-01-13T13:00", "2012-01-13T15:00"),
        span("2012-01-16T13:00", "2012-01-16T15:00"),
        span("2012-01-17T09:15", "2012-01-17T10:15"),
        span("2012-01-18T16:00", "2012-01-18T16:30"),
        span("2012-01-24T08:30", "2012-01-24T09:30"),
        span("2012-01-24T12:30", "2012-01-24T14:30"),
        span("2012-01-31T09:15", "2012-01-31T10:15"),
    ],
    "google_calendar_crlf_xwrtimezone.ics": [span("2024-10-04T18:15", "2024-10-04T19:00")],
    # Weekdays from 28 October 2016 with no end: one interval a weekday up to the window's end.
    "google_x_location.ics": weekdays_between(dt.date(2016, 10, 28), dt.date(2025, 12, 31)),
    # Both the series and its moved occurrence are TRANSP:TRANSPARENT.
    "google_moved_occurrence_recurrence_id.ics": [],
    "google_x_wr_timezone_utc_events.ics": [
        span("2021-12-22T17:00", "2021-12-22T18:00"),
        span("2021-12-23T02:00", "2021-12-23T03:00"),
    ],
    # TZIDs without VTIMEZONE: 08:00 New York to 08:00 Los Angeles, and an RDATE period in
    # Berlin; two further VEVENTs have no DTSTART and are skipped.
    "missing_vtimezone.ics": [
        span("2014-08-29T12:00", "2014-08-29T15:00"),
        span("2024-09-13T10:00", "2024-09-13T12:00"),
    ],
    # A lone RECURRENCE-ID instance with no DTEND or DURATION: a moment, which blocks nothing.
    "recurrence_1231.ics": [],
    "request_xwrtimezone_issue350.ics": [span("2022-02-22T18:30", "2022-02-22T19:30")],
    "thunderbird_event.ics": [span("2024-10-23T14:00", "2024-10-23T15:00")],
    "timezoned.ics": [span("2012-02-13T09:00", "2012-02-17T17:00")],
    "vtimezone_america_new_york.ics": [span("2014-08-29T12:00", "2014-08-29T14:00")],
}


def test_every_sample_has_an_expectation() -> None:
    assert sorted(p.name for p in sample_folder().glob("*.ics")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_is_read_or_rejected_as_expected(name: str) -> None:
    expected = EXPECTED[name]
    data = sample(name)
    if isinstance(expected, str):
        with pytest.raises(IcsError, match=re.escape(expected)) as caught:
            read(data, WIDE, file_name=name)
        assert str(caught.value).startswith(f"{name} is not an iCalendar file")
    elif isinstance(expected, int):
        assert len(read(data, WIDE, file_name=name).intervals) == expected
    else:
        assert read(data, WIDE, file_name=name).intervals == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_messages_about_a_sample_never_quote_its_summaries(name: str) -> None:
    data = sample(name)
    summaries = re.findall(r"^SUMMARY[^:\r\n]*:(.+?)\r?$", data.decode(), flags=re.MULTILINE)
    try:
        messages = read(data, WIDE, file_name=name).skipped
    except IcsError as error:
        messages = [str(error)]
    for summary in summaries:
        assert all(summary.strip() not in message for message in messages)


def test_events_without_dtstart_are_skipped_with_their_line() -> None:
    result = read(sample("missing_vtimezone.ics"), WIDE, file_name="missing_vtimezone.ics")
    assert result.skipped == [
        "the event on line 9 skipped: it has no DTSTART",
        "the event on line 15 skipped: it has no DTSTART",
    ]


def test_an_open_ended_rrule_is_bounded_by_the_window() -> None:
    data = sample("google_x_location.ics")  # weekdays 14:00-14:30 Zurich, no end
    week = (at("2016-11-07T00:00"), at("2016-11-14T00:00"))
    assert read(data, week).intervals == [
        span(f"2016-11-{day:02d}T13:00", f"2016-11-{day:02d}T13:30") for day in range(7, 12)
    ]
    summer = read(data, (at("2016-10-28T00:00"), at("2016-10-29T00:00"))).intervals
    assert summer == [span("2016-10-28T12:00", "2016-10-28T12:30")]  # still CEST


def test_exdates_on_separate_lines_once_the_event_sits_in_a_calendar() -> None:
    body = sample("event_rrule_exdates.ics").decode()
    result = read(calendar(body), (at("2012-03-01T00:00"), at("2012-08-01T00:00")))
    tuesdays = [dt.date(2012, 3, 27) + dt.timedelta(weeks=n) for n in range(15)]
    taken_out = {dt.date(2012, 4, m) for m in (3, 10, 17)} | {
        dt.date(2012, 5, 1),
        dt.date(2012, 5, 29),
    }
    assert [i.start.date() for i in result.intervals] == [
        day for day in tuesdays if day not in taken_out
    ]
    assert result.intervals[0] == span("2012-03-27T08:00", "2012-03-27T16:00")


def test_a_moved_occurrence_replaces_the_one_it_moves() -> None:
    text = sample("google_moved_occurrence_recurrence_id.ics").decode()
    text = text.replace("TRANSP:TRANSPARENT", "TRANSP:OPAQUE")
    text = text.replace("DTEND;TZID=Europe/Berlin:20211126T213000", "DURATION:PT2H")
    text = text.replace(
        "DTSTART;TZID=Europe/Berlin:20211217T213000",
        "DTSTART;TZID=Europe/Berlin:20211217T213000\nDURATION:PT2H",
    )
    result = read(text.encode(), (at("2021-12-01T00:00"), at("2022-02-01T00:00")))
    # Last Fridays: 31 December moved to 17 December; 28 January stays.
    assert result.intervals == [
        span("2021-12-17T20:30", "2021-12-17T22:30"),
        span("2022-01-28T20:30", "2022-01-28T22:30"),
    ]


def test_an_all_day_event_fills_the_local_day_of_the_default_zone() -> None:
    data = sample("blackberry_request_attendees.ics")
    result = read(data, WIDE, default_tz="America/New_York")
    assert result.intervals == [span("2012-08-14T04:00", "2012-08-15T04:00")]


def test_an_opaque_all_day_event_with_dtend_equal_to_dtstart_is_one_day() -> None:
    data = sample("example.ics").replace(b"TRANSP:TRANSPARENT", b"TRANSP:OPAQUE")
    assert read(data, WIDE).intervals == [
        span("2022-01-01T00:00", "2022-01-02T00:00"),
        span("2022-01-07T00:00", "2022-01-08T00:00"),
        span("2022-03-08T00:00", "2022-03-09T00:00"),
    ]


# --- Time zones ---------------------------------------------------------------------------


def test_an_unknown_tzid_is_an_error_naming_the_tzid_and_the_uid_but_not_the_summary() -> None:
    data = calendar(
        event(
            "abc-123",
            "SUMMARY:Chemotherapy appointment",
            "DTSTART;TZID=Mars/Olympus:20240110T100000",
            "DURATION:PT1H",
        )
    )
    with pytest.raises(IcsError) as caught:
        read(data, file_name="mine.ics")
    message = str(caught.value)
    assert "mine.ics" in message
    assert "'Mars/Olympus'" in message
    assert "'abc-123' (line 4)" in message
    assert "Chemotherapy" not in message


def test_an_unknown_tzid_on_an_exdate_is_also_caught() -> None:
    data = calendar(
        event(
            "u",
            "DTSTART:20240110T100000Z",
            "DURATION:PT1H",
            "RRULE:FREQ=DAILY;COUNT=3",
            "EXDATE;TZID=Nowhere:20240111T100000",
        )
    )
    with pytest.raises(IcsError, match="'Nowhere'"):
        read(data)


def test_windows_and_iana_names_work_without_a_vtimezone() -> None:
    data = calendar(
        event("w", "DTSTART;TZID=W. Europe Standard Time:20240110T100000", "DURATION:PT1H"),
        event("p", 'DTSTART;TZID="Pacific Standard Time":20240110T100000', "DURATION:PT1H"),
        event("i", "DTSTART;TZID=Asia/Kolkata:20240110T100000", "DURATION:PT1H"),
    )
    assert read(data).intervals == [
        span("2024-01-10T04:30", "2024-01-10T05:30"),
        span("2024-01-10T09:00", "2024-01-10T10:00"),
        span("2024-01-10T18:00", "2024-01-10T19:00"),
    ]


def test_a_vtimezone_from_one_upload_is_not_seen_by_the_next() -> None:
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Clinic Time\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    uses = event("c", "DTSTART;TZID=Clinic Time:20240110T100000", "DURATION:PT1H")
    assert read(calendar(zone, uses)).intervals == [span("2024-01-10T07:00", "2024-01-10T08:00")]
    with pytest.raises(IcsError, match="'Clinic Time'"):
        read(calendar(uses))


def test_x_wr_timezone_places_floating_and_all_day_times() -> None:
    data = calendar(
        event("f", "DTSTART:20240110T100000", "DURATION:PT1H"),
        event("d", "DTSTART;VALUE=DATE:20240112"),
        head="X-WR-TIMEZONE:Europe/Berlin\r\n",
    )
    assert read(data, default_tz="America/New_York").intervals == [
        span("2024-01-10T09:00", "2024-01-10T10:00"),
        span("2024-01-11T23:00", "2024-01-12T23:00"),
    ]


def test_floating_times_without_x_wr_timezone_use_the_default_zone() -> None:
    data = calendar(event("f", "DTSTART:20240110T100000", "DURATION:PT1H"))
    assert read(data, default_tz="America/New_York").intervals == [
        span("2024-01-10T15:00", "2024-01-10T16:00")
    ]


def test_an_unknown_x_wr_timezone_is_an_error() -> None:
    with pytest.raises(IcsError, match="X-WR-TIMEZONE 'Mars/Base' is not a known time zone"):
        read(calendar(head="X-WR-TIMEZONE:Mars/Base\r\n"))


# --- What counts as busy ------------------------------------------------------------------


def test_transparent_cancelled_and_outlook_free_events_leave_the_time_free() -> None:
    data = calendar(
        event("t", "DTSTART:20240110T100000Z", "DURATION:PT1H", "TRANSP:TRANSPARENT"),
        event("c", "DTSTART:20240111T100000Z", "DURATION:PT1H", "STATUS:CANCELLED"),
        event("o", "DTSTART:20240112T100000Z", "DURATION:PT1H", "X-MICROSOFT-CDO-BUSYSTATUS:FREE"),
        event("b", "DTSTART:20240113T100000Z", "DURATION:PT1H", "STATUS:TENTATIVE"),
    )
    assert read(data).intervals == [span("2024-01-13T10:00", "2024-01-13T11:00")]


def test_a_cancelled_occurrence_of_a_series_is_free() -> None:
    series = event(
        "s", "DTSTART;TZID=Europe/London:20240108T090000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY"
    )
    cancelled = event(
        "s",
        "RECURRENCE-ID;TZID=Europe/London:20240115T090000",
        "DTSTART;TZID=Europe/London:20240115T090000",
        "DURATION:PT1H",
        "STATUS:CANCELLED",
    )
    starts = [i.start.date().day for i in read(calendar(series, cancelled)).intervals]
    assert starts == [8, 22, 29]


def test_a_busy_occurrence_of_a_free_series_stays_busy() -> None:
    series = event(
        "s", "DTSTART:20240108T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY", "TRANSP:TRANSPARENT"
    )
    moved = event(
        "s", "RECURRENCE-ID:20240115T090000Z", "DTSTART:20240116T140000Z", "DURATION:PT1H"
    )
    assert read(calendar(series, moved)).intervals == [span("2024-01-16T14:00", "2024-01-16T15:00")]


def test_free_busy_periods_other_than_free_are_busy() -> None:
    data = calendar(
        "BEGIN:VFREEBUSY\r\n"
        "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240103T091500Z/PT1H,20240104T091500Z/20240104T101500Z\r\n"
        "FREEBUSY:20240105T091500Z/PT30M\r\n"
        "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20240106T000000Z/PT24H\r\n"
        "FREEBUSY;FBTYPE=FREE:20240107T091500Z/PT1H\r\n"
        "END:VFREEBUSY\r\n"
    )
    assert read(data).intervals == [
        span("2024-01-03T09:15", "2024-01-03T10:15"),
        span("2024-01-04T09:15", "2024-01-04T10:15"),
        span("2024-01-05T09:15", "2024-01-05T09:45"),
        span("2024-01-06T00:00", "2024-01-07T00:00"),
    ]


def test_overlaps_merge_and_the_window_clips() -> None:
    data = calendar(
        event("a", "DTSTART:20231231T230000Z", "DTEND:20240101T010000Z"),
        event("b", "DTSTART:20240110T100000Z", "DTEND:20240110T120000Z"),
        event("c", "DTSTART:20240110T110000Z", "DTEND:20240110T130000Z"),
        event("d", "DTSTART:20240110T130000Z", "DTEND:20240110T133000Z"),
    )
    assert read_busy_intervals(data, window_start=JANUARY[0], window_end=JANUARY[1]) == [
        span("2024-01-01T00:00", "2024-01-01T01:00"),
        span("2024-01-10T10:00", "2024-01-10T13:30"),
    ]


def test_merge_intervals_joins_touching_and_nested_spans() -> None:
    joined = merge_intervals(
        [
            (at("2024-01-01T10:00"), at("2024-01-01T11:00")),
            (at("2024-01-01T09:00"), at("2024-01-01T12:00")),
            (at("2024-01-01T12:00"), at("2024-01-01T12:15")),
        ]
    )
    assert joined == [span("2024-01-01T09:00", "2024-01-01T12:15")]


def test_a_cancellation_notice_blocks_nothing() -> None:
    data = calendar(
        event("u", "DTSTART:20240110T100000Z", "DURATION:PT1H"), head="METHOD:CANCEL\r\n"
    )
    result = read(data)
    assert result.intervals == []
    assert result.skipped == ["event 'u' (line 5) skipped: the file cancels it"]


def test_an_unreadable_start_skips_only_that_event() -> None:
    data = calendar(
        event("bad", "DTSTART:garbage", "DURATION:PT1H"),
        event("good", "DTSTART:20240110T100000Z", "DURATION:PT1H"),
    )
    result = read(data)
    assert result.intervals == [span("2024-01-10T10:00", "2024-01-10T11:00")]
    assert result.skipped == ["event 'bad' (line 4) skipped: its DTSTART could not be read"]


# --- Encodings and line endings -----------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode(),
        lambda text: b"\xef\xbb\xbf" + text.encode(),
        lambda text: text.replace("\r\n", "\n").encode(),
        lambda text: text.replace("\r\n", "\r").encode(),
        lambda text: text.encode("utf-16"),
    ],
    ids=["crlf", "bom", "lf", "cr", "utf16"],
)
def test_byte_order_marks_and_line_endings(encode: Callable[[str], bytes]) -> None:
    text = calendar(
        event("u", "DTSTART:20240110T10", " 0000Z", "DURATION:PT1H", "SUMMARY:Zoë's clinic")
    ).decode()
    assert read(encode(text)).intervals == [span("2024-01-10T10:00", "2024-01-10T11:00")]


# --- Hostile input ------------------------------------------------------------------------


def test_a_file_over_the_size_cap_is_refused_before_reading() -> None:
    with pytest.raises(IcsError, match=r"big\.ics is 2,000,001 bytes; .* at most 2,000,000"):
        read(b"BEGIN:VCALENDAR\r\n" + b"X" * (2_000_001 - 17), file_name="big.ics")
    with pytest.raises(IcsError, match="at most 50"):
        read(calendar(), max_bytes=50)


@pytest.mark.parametrize(
    "data",
    [
        bytes(random.Random(7).randrange(256) for _ in range(5000)),
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"<html><body>BEGIN:VCALENDAR</body></html>",
        b"   \r\n\r\n",
        b"",
    ],
    ids=["random", "png", "pdf", "html", "blank", "empty"],
)
def test_anything_that_is_not_icalendar_is_refused(data: bytes) -> None:
    with pytest.raises(IcsError, match=r"^upload\.ics is (not an iCalendar file|empty)"):
        read(data, file_name="upload.ics")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", "BEGIN:VEVENT on line 2 is never closed"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\n", "line 3: END:VTODO does not close"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nmy private words\r\n", "line 3: this is not an iC"),
        ("BEGIN:VCALENDAR\r\n" + "BEGIN:X-A\r\n" * 40, "line 9: components are nested"),
        ("BEGIN:VCALENDAR\r\nBEGIN:\r\n", "line 2: BEGIN needs a component name"),
    ],
)
def test_broken_structure_is_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(IcsError, match=re.escape(message)) as caught:
        read(text.encode())
    assert "private" not in str(caught.value)


def test_a_minutely_rule_since_1970_is_skipped_quickly() -> None:
    data = calendar(event("m", "DTSTART:19700101T000000Z", "DURATION:PT1M", "RRULE:FREQ=MINUTELY"))
    began = time.perf_counter()
    result = read(data)
    assert time.perf_counter() - began < 2
    assert result.intervals == []
    assert result.skipped == [
        "event 'm' (line 4) skipped: it repeats too often for too long to work out"
    ]


def test_a_daily_rule_with_no_end_gives_one_interval_a_day() -> None:
    data = calendar(event("d", "DTSTART:20200101T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY"))
    assert len(read(data).intervals) == 31


def test_thousands_of_events_are_read() -> None:
    events = [
        event(f"e{n}", f"DTSTART:202401{1 + n % 31:02d}T{n % 24:02d}0000Z", "DURATION:PT15M")
        for n in range(2000)
    ]
    result = read(calendar(*events))
    assert len(result.intervals) == 31 * 24  # 2,000 > 31 x 24: every (day, hour) pair occurs
    assert result.skipped == []


def test_more_events_than_the_cap_are_refused() -> None:
    events = [event(f"e{n}", "DTSTART:20240110T100000Z", "DURATION:PT1H") for n in range(101)]
    with pytest.raises(IcsError, match="has more than 100 events"):
        read(calendar(*events), max_events=100)


def test_the_window_must_be_aware_and_in_order() -> None:
    with pytest.raises(ValueError, match="aware"):
        read_busy_ics(calendar(), window_start=dt.datetime(2024, 1, 1), window_end=JANUARY[1])  # noqa: DTZ001
    with pytest.raises(ValueError, match="after"):
        read(calendar(), (JANUARY[1], JANUARY[0]))
