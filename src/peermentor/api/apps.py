"""Application configuration for the REST API."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "peermentor.api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from peermentor.api import policy  # noqa: F401 - registers the rules
