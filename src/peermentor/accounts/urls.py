"""URLs for the signed-in person's own account pages."""

from __future__ import annotations

from django.urls import path

from peermentor.accounts import views

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
]
