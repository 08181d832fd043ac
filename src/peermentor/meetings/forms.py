"""Forms for polls, meetings, agenda items, notes and action items.

Times are typed in the group's time zone (the form says which) and stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.core.widgets import DateInput, TimeInput
from peermentor.meetings.models import ActionItem, AgendaItem, AvailabilityPoll, Meeting
from peermentor.meetings.slots import earliest_instant

POLL_ROWS = 6
WEEKDAY_CHOICES = [
    ("", "—"),
    *[
        (str(i), day)
        for i, day in enumerate(
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        )
    ],
]


def local_instant(day: dt.date, wall: dt.time, zone_name: str) -> dt.datetime:
    """The UTC instant of a wall-clock time in a zone (the earlier one in a repeated hour)."""
    return earliest_instant(day, wall, ZoneInfo(zone_name)).astimezone(dt.UTC)


def first_weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    """The first date with this weekday (Monday 0) on or after ``day``."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


class PollForm(forms.Form):
    """A poll: title, kind, length, deadline, and up to six candidate times."""

    title = forms.CharField(max_length=200, initial="Our next meeting")
    kind = forms.ChoiceField(
        choices=AvailabilityPoll.Kind.choices,
        widget=forms.RadioSelect,
        initial=AvailabilityPoll.Kind.DATES,
        label="What are you finding?",
    )
    duration_minutes = forms.IntegerField(
        min_value=15, max_value=480, initial=90, label="Meeting length (minutes)"
    )
    deadline = forms.DateField(widget=DateInput, label="Answer by (end of the day)")
    required = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Members who must be able to come",
    )

    def __init__(self, *args: Any, group: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["required"].queryset = User.objects.filter(pk__in=[m.pk for m in members])
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=7)
        for row in range(1, POLL_ROWS + 1):
            self.fields[f"date_{row}"] = forms.DateField(
                widget=DateInput, required=False, label=f"Time {row}: date"
            )
            self.fields[f"weekday_{row}"] = forms.TypedChoiceField(
                choices=WEEKDAY_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                label=f"Time {row}: or weekday",
            )
            self.fields[f"time_{row}"] = forms.TimeField(
                widget=TimeInput, required=False, label=f"Time {row}: starts at"
            )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"date_{r}"], self[f"weekday_{r}"], self[f"time_{r}"])
            for r in range(1, POLL_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts = []
        for row in range(1, POLL_ROWS + 1):
            start = self._row_start(cleaned, row)
            if start is not None:
                starts.append(start)
        cleaned["starts"] = starts
        if not starts and not self.errors:
            raise forms.ValidationError("Add at least one time.")
        if deadline := cleaned.get("deadline"):
            cleaned["deadline_at"] = local_instant(
                deadline + dt.timedelta(days=1), dt.time(0, 0), self.group.time_zone
            )
        return cleaned

    def _row_start(self, cleaned: dict[str, Any], row: int) -> dt.datetime | None:
        day, weekday, wall = (cleaned.get(f"{p}_{row}") for p in ("date", "weekday", "time"))
        if wall is None:
            if day is not None or weekday is not None:
                self.add_error(f"time_{row}", "Give the time this option starts.")
            return None
        if cleaned.get("kind") == AvailabilityPoll.Kind.WEEKLY:
            if weekday is None:
                self.add_error(f"weekday_{row}", "Choose the weekday of this standing slot.")
                return None
            day = first_weekday_on_or_after(timezone.localdate() + dt.timedelta(days=1), weekday)
        elif day is None:
            self.add_error(f"date_{row}", "Give the date of this option.")
            return None
        return local_instant(day, wall, self.group.time_zone)


class FinaliseForm(forms.Form):
    """The chosen time and whether it repeats."""

    REPEAT_CHOICES = [
        ("0", "Just this once"),
        ("1", "Every week"),
        ("2", "Every 2 weeks"),
        ("4", "Every 4 weeks"),
        ("6", "Every 6 weeks"),
    ]
    option = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Time")
    repeat_weeks = forms.TypedChoiceField(
        choices=REPEAT_CHOICES, coerce=int, initial="0", label="Repeat"
    )
    occurrences = forms.IntegerField(
        min_value=1, max_value=60, initial=8, label="How many meetings in the series"
    )
    place = forms.CharField(max_length=200, required=False)
    video_link = forms.URLField(required=False, label="Video link", assume_scheme="https")

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = choices
        if choices:
            self.fields["option"].initial = choices[0][0]


class MeetingForm(forms.Form):
    """When and where a meeting is, in the group's time zone."""

    date = forms.DateField(widget=DateInput)
    time = forms.TimeField(widget=TimeInput, label="Starts at")
    duration_minutes = forms.IntegerField(
        min_value=15, max_value=480, initial=90, label="Length (minutes)"
    )
    place = forms.CharField(max_length=200, required=False)
    video_link = forms.URLField(required=False, label="Video link", assume_scheme="https")
    status = forms.ChoiceField(choices=Meeting.Status.choices, initial=Meeting.Status.SCHEDULED)

    def __init__(self, *args: Any, group: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("date") and cleaned.get("time"):
            cleaned["starts_at"] = local_instant(
                cleaned["date"], cleaned["time"], self.group.time_zone
            )
        return cleaned


def meeting_initial(meeting: Meeting) -> dict[str, Any]:
    """The meeting form's values for an existing meeting, in its time zone."""
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone))
    return {
        "date": local.date(),
        "time": local.time(),
        "place": meeting.place,
        "duration_minutes": meeting.duration_minutes,
        "video_link": meeting.video_link,
        "status": meeting.status,
    }


class AgendaItemForm(forms.ModelForm[AgendaItem]):
    """A proposed agenda item."""

    class Meta:
        model = AgendaItem
        fields = ["title", "kind", "minutes"]
        labels = {"title": "Item", "minutes": "Time box (minutes)"}


class NotesForm(forms.Form):
    """The group's notes of a meeting, with the version the editor started from."""

    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=100_000,
        label="Notes (Markdown)",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ActionItemForm(forms.Form):
    """A commitment a member makes."""

    title = forms.CharField(max_length=200, label="Action")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label="Who")
    due_on = forms.DateField(widget=DateInput, required=False, label="Due")

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[m.pk for m in members])


class BusyFileForm(forms.Form):
    """An .ics file of the member's own calendar, read to pre-fill poll answers."""

    calendar = forms.FileField(
        label="Calendar file (.ics)", help_text="Exported from Outlook, Google or Apple Calendar."
    )


ACTION_STATUS_CHOICES = ActionItem.Status.choices
