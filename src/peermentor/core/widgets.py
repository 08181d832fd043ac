"""Form widgets that use the browser's own date and time pickers."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """A date field shown as the browser's date picker."""

    input_type = "date"


class TimeInput(forms.TimeInput):
    """A time field shown as the browser's time picker."""

    input_type = "time"
