"""iCalendar (RFC 5545) feeds of meetings: stable UIDs, SEQUENCE, cancellations, UTC times.

Plain data in, bytes out; no Django. Feeds never carry attendees or e-mail addresses, and
carry no agenda or notes: a calendar service is outside the group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event

PRODID = "-//PeerMentor//Meetings//EN"


@dataclass(frozen=True)
class FeedEvent:
    """What a calendar needs to know about one meeting."""

    uid: str
    sequence: int
    start: dt.datetime
    duration_minutes: int
    summary: str
    location: str
    url: str
    cancelled: bool
    last_modified: dt.datetime


def build_calendar(events: Iterable[FeedEvent], *, name: str, now: dt.datetime) -> bytes:
    """A VCALENDAR for subscription (METHOD:PUBLISH) or download, with every time in UTC."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Apple and Google read the name; Outlook reads the refresh hints.
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for event in events:
        calendar.add_component(_vevent(event, now))
    return bytes(calendar.to_ical())


def _vevent(event: FeedEvent, now: dt.datetime) -> Event:
    if event.start.tzinfo is None:
        raise ValueError(f"event {event.uid} has a naive start time")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", now.astimezone(dt.UTC))
    vevent.add("last-modified", event.last_modified.astimezone(dt.UTC))
    start = event.start.astimezone(dt.UTC)
    vevent.add("dtstart", start)
    vevent.add("dtend", start + dt.timedelta(minutes=event.duration_minutes))
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    vevent.add("url", event.url)
    vevent.add("description", f"Agenda and notes: {event.url}")
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if event.cancelled else "OPAQUE")
    return vevent
