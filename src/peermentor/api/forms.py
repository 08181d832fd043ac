"""The form that makes a personal access token."""

from __future__ import annotations

from django import forms

from peermentor.api.models import Scope
from peermentor.api.services import EXPIRY_DAYS


class TokenForm(forms.Form):
    """A name, the scopes the token may use, and how long it lives."""

    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “Department dashboard”."
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Give only what the program using the token needs.",
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(d, f"{d} days") for d in EXPIRY_DAYS],
        initial=30,
    )
