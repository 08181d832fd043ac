"""URLs for the signed-in person's own account pages."""

from __future__ import annotations

from django.urls import path

from peermentor.accounts import views, views_privacy

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("data/", views_privacy.privacy_home, name="privacy_home"),
    path("data/export/", views_privacy.privacy_export, name="privacy_export"),
    path("delete/", views_privacy.privacy_delete, name="privacy_delete"),
    path("deleted/", views_privacy.privacy_deleted, name="privacy_deleted"),
]
