"""Forms for programs, groups, invitations, memberships and the charter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from peermentor.core.widgets import DateInput
from peermentor.programs.models import (
    TIME_ZONE_CHOICES,
    Charter,
    Group,
    Invitation,
    LeaveReason,
    MemberRole,
    Program,
)


class ProgramForm(forms.ModelForm[Program]):
    """Name, web address and description of a new program."""

    class Meta:
        model = Program
        fields = ["name", "slug", "description"]
        labels = {"slug": "Web address"}
        help_texts = {"slug": "Lower-case letters, digits and hyphens; used in links."}


class GroupForm(forms.Form):
    """A new group of a program."""

    name = forms.CharField(max_length=120)
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES,
        initial="America/Los_Angeles",
        help_text="Meeting times are kept in this time zone.",
    )
    formed_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Formed on")


class InvitationForm(forms.Form):
    """Whom to invite, in which role, to which group."""

    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Invitation.Role.choices, initial=Invitation.Role.MEMBER)
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        help_text="Members and senior mentors join a group.",
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = program.groups.filter(closed_on__isnull=True)


class MembershipRoleForm(forms.Form):
    """A member's role in their group."""

    role = forms.ChoiceField(choices=MemberRole.choices)


class MembershipEndForm(forms.Form):
    """When and why a member left their group."""

    left_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Left on")
    reason = forms.ChoiceField(choices=LeaveReason.choices)


class CharterForm(forms.ModelForm[Charter]):
    """A proposed version of the group charter."""

    class Meta:
        model = Charter
        fields = [
            "goals",
            "meeting_format",
            "cadence_weeks",
            "meeting_minutes",
            "norms",
            "confidentiality",
            "uses_senior_mentor",
            "senior_mentor_required",
            "uses_facilitator_rota",
            "personal_checkin_minutes",
        ]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "norms": forms.Textarea(attrs={"rows": 4}),
            "confidentiality": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_cadence_weeks(self) -> int:
        weeks: int = self.cleaned_data["cadence_weeks"]
        if not 1 <= weeks <= 26:
            raise forms.ValidationError("Choose between 1 and 26 weeks.")
        return weeks

    def clean_meeting_minutes(self) -> int:
        minutes: int = self.cleaned_data["meeting_minutes"]
        if not 15 <= minutes <= 480:
            raise forms.ValidationError("A meeting lasts between 15 and 480 minutes.")
        return minutes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("senior_mentor_required") and not cleaned.get("uses_senior_mentor"):
            self.add_error(
                "senior_mentor_required",
                "Meetings can only need a senior mentor if the group has one.",
            )
        minutes = cleaned.get("meeting_minutes")
        checkin = cleaned.get("personal_checkin_minutes")
        if minutes and checkin is not None and checkin > minutes:
            self.add_error(
                "personal_checkin_minutes",
                "The personal check-in cannot be longer than the meeting.",
            )
        return cleaned


DEFAULT_CHARTER = {
    "meeting_format": Charter.Format.IN_PERSON,
    "cadence_weeks": 6,
    "meeting_minutes": 90,
    "goals": "Support each other's academic careers: scholarship, teaching and promotion.",
    "norms": (
        "We set our own agenda at each meeting.\n"
        "We start and end on time.\n"
        "Each of us brings one thing to work on."
    ),
    "confidentiality": (
        "What is said in the group stays in the group. Notes are seen only by the members."
    ),
    "uses_senior_mentor": True,
    "senior_mentor_required": False,
    "uses_facilitator_rota": True,
    "personal_checkin_minutes": 10,
}
