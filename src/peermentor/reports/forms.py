"""Forms of reports: what to report on, and the editors' conclusions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from peermentor.programs.models import Group, Program
from peermentor.reports.services import MAX_CONCLUSIONS


class ReportForm(forms.Form):
    """A program (or one of its groups) and the period the report covers."""

    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        empty_label="The whole program",
        label="Report on",
    )
    since = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = program.groups.order_by("formed_on", "name")
        first = program.groups.order_by("formed_on").values_list("formed_on", flat=True).first()
        self.fields["since"].initial = first or timezone.localdate().replace(month=1, day=1)
        self.fields["until"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date is before the start date.")
        return data


class ConclusionsForm(forms.Form):
    """What the editors conclude, written in the page."""

    conclusions = forms.CharField(
        label="Conclusions",
        required=False,
        max_length=MAX_CONCLUSIONS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text; a blank line starts a new paragraph. Saving re-makes the files.",
    )
