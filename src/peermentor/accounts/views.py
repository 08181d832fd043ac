"""The signed-in person's own profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from peermentor.accounts.forms import ProfileForm
from peermentor.accounts.services import profile_for, profile_update


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Show and save the signed-in person's profile."""
    profile = profile_for(user=request.user)
    initial = {"name": request.user.name, "time_zone": request.user.time_zone}
    form = ProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, data=form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("home")
    return render(request, "accounts/profile.html", {"form": form})
