"""Forms for the profile and for accepting an invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from peermentor.accounts.models import TIME_ZONE_CHOICES, Profile
from peermentor.core.orcid import InvalidOrcid, normalise_orcid


class ProfileForm(forms.ModelForm[Profile]):
    """The faculty profile, with the person's name and time zone."""

    name = forms.CharField(label="Full name", max_length=150)
    time_zone = forms.ChoiceField(label="Time zone", choices=TIME_ZONE_CHOICES)
    # Longer than the stored form: people paste https://orcid.org/… links.
    orcid = forms.CharField(
        label="ORCID iD",
        max_length=64,
        required=False,
        help_text="For example 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097.",
    )

    class Meta:
        model = Profile
        fields = ["name", "time_zone", "rank", "track", "department", "orcid", "interests"]

    def clean_orcid(self) -> str:
        value = self.cleaned_data["orcid"]
        if not value:
            return ""
        try:
            return normalise_orcid(value)
        except InvalidOrcid as error:
            raise forms.ValidationError(str(error)) from error

    def clean_interests(self) -> str:
        items = [item.strip() for item in self.cleaned_data["interests"].split(",")]
        return ", ".join(dict.fromkeys(item for item in items if item))


class NewAccountForm(forms.Form):
    """Name and password for someone accepting an invitation who has no account yet."""

    name = forms.CharField(label="Full name", max_length=150)
    password1 = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
