"""URLs of the qualitative workbench (evaluators only)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
