"""URLs of calls for participation, intake, the waitlist and group formation."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
