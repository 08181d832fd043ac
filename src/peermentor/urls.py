"""The project's URL map."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from peermentor.core import views as core_views

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("account/", include("peermentor.accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", core_views.health, name="health"),
    path("readyz", core_views.readiness, name="readiness"),
    path("api/", include("peermentor.api.urls")),
    path("", include("peermentor.reports.urls")),
    path("", include("peermentor.meetings.urls")),
    path("", include("peermentor.goals.urls")),
    path("", include("peermentor.scholarship.urls")),
    path("", include("peermentor.surveys.urls")),
    path("", include("peermentor.qualitative.urls")),
    path("", include("peermentor.enrolment.urls")),
    path("", include("peermentor.programs.urls")),
]

handler403 = "peermentor.core.views.permission_denied"
handler404 = "peermentor.core.views.page_not_found"
handler500 = "peermentor.core.views.server_error"
