"""URLs for the home page and, later, dashboards and reports."""

from __future__ import annotations

from django.urls import path

from peermentor.reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:slug>/figures/", views.program_figures, name="program_figures"),
]
