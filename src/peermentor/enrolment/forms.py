"""Forms of enrolment: the call, the intake form, formation parameters, waitlist and cohorts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify

from peermentor.accounts.models import Rank, Track
from peermentor.core.widgets import DateInput
from peermentor.enrolment.models import HOURS, SLOTS, WEEKDAYS, Application, Call, Cohort
from peermentor.enrolment.services import MAX_SECONDS
from peermentor.programs.models import TIME_ZONE_CHOICES, Program

DAY_NAMES = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"), strict=True)
)
UNDISCLOSED = "prefer not to say"
MAX_LIST = 40


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace(";", ",").split(",") if w.strip()]


class CallForm(forms.Form):
    """A call for participation: public text, dates, what the intake form asks, group sizes."""

    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="Public description",
        help_text="Anyone with the link reads this: who may apply, what taking part involves.",
    )
    opens_on = forms.DateField(widget=DateInput)
    closes_on = forms.DateField(widget=DateInput)
    interests = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="Interests to choose from",
        help_text="One per line. Applicants tick theirs and may add their own tags.",
    )
    balance = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Categories to balance (optional)",
        help_text="One per line, a name and its options, e.g. “Gender: woman, man, non-binary”. "
        "Nobody is left the only one of a value in their group when that can be avoided.",
    )
    consent_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Consent text for these categories",
        initial="I agree that the program director uses this answer only to form balanced "
        "groups. Other applicants and group members never see it.",
    )
    min_size = forms.IntegerField(min_value=2, max_value=30, initial=5, label="Smallest group")
    max_size = forms.IntegerField(min_value=2, max_value=30, initial=8, label="Largest group")
    senior_per_group = forms.BooleanField(required=False, label="Exactly one senior per group")
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES,
        initial="UTC",
        help_text="The weekly hours of the availability grid are in this time zone.",
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        required=False,
        empty_label="A new cohort named after the call",
        help_text="The groups formed from this call start their term in this cohort.",
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = program.cohorts.all()

    @classmethod
    def initial_for(cls, call: Call) -> dict[str, Any]:
        """The form's initial values for an existing call."""
        categories = call.balance_categories
        return {
            **{k: getattr(call, k) for k in ("title", "description", "opens_on", "closes_on")},
            **{k: getattr(call, k) for k in ("min_size", "max_size", "senior_per_group")},
            "time_zone": call.time_zone,
            "cohort": call.cohort_id,
            "interests": "\n".join(call.interests),
            "balance": "\n".join(f"{c['label']}: {', '.join(c['options'])}" for c in categories),
            "consent_text": categories[0]["consent_text"] if categories else "",
        }

    def clean_interests(self) -> list[str]:
        found = list(dict.fromkeys(_lines(self.cleaned_data["interests"])))
        if len(found) > MAX_LIST:
            raise ValidationError(f"At most {MAX_LIST} interests.")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        categories = []
        for number, line in enumerate(_lines(data.get("balance", "")), start=1):
            label, _, options = line.partition(":")
            if not label.strip() or not _words(options):
                self.add_error("balance", f"Line {number}: write a name, a colon and the options.")
                continue
            categories.append(
                {
                    "name": slugify(label)[:40] or f"category-{number}",
                    "label": label.strip(),
                    "options": _words(options),
                    "consent_text": data.get("consent_text", "").strip(),
                }
            )
        if categories and not data.get("consent_text", "").strip():
            self.add_error("consent_text", "Say what applicants agree to when they answer.")
        data["balance_categories"] = categories
        if data.get("min_size") and data.get("max_size") and data["min_size"] > data["max_size"]:
            self.add_error("max_size", "The largest group is smaller than the smallest.")
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The call closes before it opens.")
        return data

    def call_fields(self) -> dict[str, Any]:
        """The cleaned data as the fields of ``services.call_save``."""
        data = dict(self.cleaned_data)
        data.pop("balance", None)
        data.pop("consent_text", None)
        return data


class IntakeForm(forms.Form):
    """The intake form of one call; balance categories only with consent."""

    name = forms.CharField(max_length=150, label="Your name")
    email = forms.EmailField(
        label="Your e-mail address", help_text="We send you a private link to your application."
    )
    career_stage = forms.ChoiceField(
        choices=Application.Stage.choices, widget=forms.RadioSelect, label="Career stage"
    )
    rank = forms.ChoiceField(choices=[("", "—"), *Rank.choices], required=False)
    track = forms.ChoiceField(choices=[("", "—"), *Track.choices], required=False)
    department = forms.CharField(max_length=150, required=False)
    interests = forms.MultipleChoiceField(
        choices=[], widget=forms.CheckboxSelectMultiple, required=False, label="Your interests"
    )
    tags = forms.CharField(
        max_length=500,
        required=False,
        label="Other interests",
        help_text="Your own words, separated by commas.",
    )
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Your goals for the year",
    )
    availability = forms.MultipleChoiceField(
        choices=[(s, s) for s in SLOTS], required=False, widget=forms.CheckboxSelectMultiple
    )
    exclude_emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="People you would rather not be grouped with (optional)",
        help_text="Their e-mail addresses, one per line — your supervisor, for example. Only "
        "the program director sees this list; nobody on it is told.",
    )

    def __init__(self, *args: Any, call: Call, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["interests"].choices = [(i, i) for i in call.interests]
        if not call.interests:
            del self.fields["interests"]
        if user is not None and user.is_authenticated:
            del self.fields["name"], self.fields["email"]
        for category in call.balance_categories:
            name = category["name"]
            options = [(o, o) for o in category["options"]]
            self.fields[f"balance_{name}"] = forms.ChoiceField(
                choices=[("", f"— {UNDISCLOSED} —"), *options],
                required=False,
                label=f"{category['label']} (optional)",
            )
            self.fields[f"consent_{name}"] = forms.BooleanField(
                required=False, label=category["consent_text"]
            )

    def availability_rows(self) -> list[dict[str, Any]]:
        """The grid: one row per hour, one checkbox per weekday, each with a spoken label."""
        chosen = set(self["availability"].value() or [])
        return [
            {
                "hour": f"{hour:02d}:00",
                "cells": [
                    {
                        "slot": f"{day}{hour:02d}",
                        "id": f"slot-{day}{hour:02d}",
                        "label": f"{DAY_NAMES[day]} {hour:02d}:00",
                        "checked": f"{day}{hour:02d}" in chosen,
                    }
                    for day in WEEKDAYS
                ],
            }
            for hour in HOURS
        ]

    def balance_fields(self) -> list[tuple[Any, Any]]:
        """(answer, consent) bound fields of each balanced category."""
        return [
            (self[f"balance_{c['name']}"], self[f"consent_{c['name']}"])
            for c in self.call.balance_categories
        ]

    def clean_tags(self) -> list[str]:
        return list(dict.fromkeys(_words(self.cleaned_data["tags"])))[:MAX_LIST]

    def clean_exclude_emails(self) -> list[str]:
        emails = []
        for number, line in enumerate(_lines(self.cleaned_data["exclude_emails"]), start=1):
            try:
                validate_email(line)
            except ValidationError:
                raise ValidationError(
                    f"Line {number}: “{line}” is not an e-mail address."
                ) from None
            emails.append(line.lower())
        return emails[:MAX_LIST]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        balance = {}
        for category in self.call.balance_categories:
            name = category["name"]
            value, consent = data.pop(f"balance_{name}", ""), data.pop(f"consent_{name}", False)
            if value and not consent:
                self.add_error(
                    f"consent_{name}",
                    f"Tick the consent box to give your {category['label'].lower()}, "
                    "or leave the answer empty.",
                )
            elif value:
                balance[category["label"]] = value
        data["balance"] = balance
        data.setdefault("interests", [])
        return data

    def answers(self) -> dict[str, Any]:
        """The cleaned data as the answers of ``services.application_submit``."""
        return dict(self.cleaned_data)


class FormationForm(forms.Form):
    """Parameters of a formation run."""

    min_size = forms.IntegerField(min_value=2, max_value=30, label="Smallest group")
    max_size = forms.IntegerField(min_value=2, max_value=30, label="Largest group")
    senior_per_group = forms.BooleanField(required=False, label="Exactly one senior per group")
    seconds = forms.IntegerField(
        min_value=1,
        max_value=MAX_SECONDS,
        initial=10,
        label="Time limit (seconds)",
        help_text="The optimiser stops here and keeps the best groups found.",
    )
    groups = forms.IntegerField(
        min_value=1,
        max_value=500,
        required=False,
        label="Number of groups (optional)",
        help_text="Leave empty for the fewest groups that hold everyone. With a number, places "
        "go in order of application and the others join the waitlist.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("min_size") and data.get("max_size") and data["min_size"] > data["max_size"]:
            self.add_error("max_size", "The largest group is smaller than the smallest.")
        return data


class WaitlistOfferForm(forms.Form):
    """Which group with room a waitlisted person is offered."""

    cohort_group = forms.ChoiceField(label="Group")

    def __init__(self, *args: Any, rooms: list[tuple[Any, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rooms = {str(cg.pk): cg for cg, _ in rooms}
        self.fields["cohort_group"].choices = [
            (str(cg.pk), f"{cg.group} — {room} place{'s' if room > 1 else ''} left")
            for cg, room in rooms
        ]

    def chosen(self) -> Any:
        return self.rooms[self.cleaned_data["cohort_group"]]


class CohortForm(forms.Form):
    """A cohort: a name and its term."""

    name = forms.CharField(max_length=120)
    starts_on = forms.DateField(widget=DateInput, label="Term starts")
    ends_on = forms.DateField(widget=DateInput, label="Term ends")


class CohortDecisionForm(forms.Form):
    """What happens to one group at the end of its term."""

    decision = forms.ChoiceField(
        choices=[
            ("renewed", "Renew into the next cohort"),
            ("closed", "Close the group"),
            ("released", "Close and release its members into a call"),
        ],
        widget=forms.RadioSelect,
    )
    next_cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(), required=False, label="Next cohort (to renew)"
    )
    next_call = forms.ModelChoiceField(
        queryset=Call.objects.none(), required=False, label="Call for released members"
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program = cohort.program
        self.fields["next_cohort"].queryset = program.cohorts.exclude(pk=cohort.pk)
        self.fields["next_call"].queryset = program.calls.exclude(status=Call.Status.CLOSED)
