"""The signed-in person's privacy rights: download all their data, delete their account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from peermentor.accounts import privacy


class AccountDeleteForm(forms.Form):
    """Re-authentication, the export question, and per identified survey the research choice."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Type your password to confirm that it is you."},
    )
    export_settled = forms.BooleanField(
        label="I have downloaded my data, or I do not want a copy.",
        error_messages={"required": "Download your data first, or tick this box to go without."},
    )

    def __init__(self, *args: Any, user: Any, waves: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.waves = waves
        if not user.has_usable_password():
            # Signed in through single sign-on: the sign-in itself was the proof.
            del self.fields["password"]
        for wave in waves:
            self.fields[f"keep_wave_{wave.pk}"] = forms.BooleanField(
                required=False,
                label=f"Keep my answers to “{wave.title}” for this research, without my name.",
            )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password; nothing was deleted.")
        return password

    def wave_fields(self) -> list[tuple[Any, forms.BoundField]]:
        return [(wave, self[f"keep_wave_{wave.pk}"]) for wave in self.waves]

    def erasure(self) -> privacy.Erasure:
        kept = {wave.pk for wave in self.waves if self.cleaned_data.get(f"keep_wave_{wave.pk}")}
        return privacy.Erasure(keep_research_waves=frozenset(kept))


@login_required
def privacy_home(request: HttpRequest) -> HttpResponse:
    """What PeerMentor keeps about the person, the download, and the way to delete."""
    return render(
        request,
        "accounts/privacy_home.html",
        {
            "retention_days": privacy.settings_summary()["closed_group_retention_days"],
            "not_included": privacy.NOT_EXPORTABLE,
        },
    )


@login_required
@require_POST
def privacy_export(request: HttpRequest) -> HttpResponse:
    """The person's data as a ZIP of data.json and index.html."""
    content = privacy.personal_data_export(user=request.user, request=request)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="peermentor-my-data-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def privacy_delete(request: HttpRequest) -> HttpResponse:
    """Delete the account after the password, the export question and the research choices."""
    user = request.user
    waves = privacy.identified_waves_answered(user)
    form = AccountDeleteForm(request.POST or None, user=user, waves=waves)
    if request.method == "POST" and form.is_valid():
        erasure = form.erasure()
        logout(request)
        privacy.account_delete(user=user, erasure=erasure, request=request)
        return redirect("privacy_deleted")
    return render(request, "accounts/privacy_delete.html", {"form": form})


def privacy_deleted(request: HttpRequest) -> HttpResponse:
    """The goodbye page after a deletion (public: the person is signed out)."""
    return render(request, "accounts/privacy_deleted.html")
