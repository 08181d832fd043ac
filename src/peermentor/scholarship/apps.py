"""Application configuration for scholarship."""

from __future__ import annotations

from django.apps import AppConfig


class ScholarshipConfig(AppConfig):
    name = "peermentor.scholarship"
    verbose_name = "Scholarship"

    def ready(self) -> None:
        # Register the permission rules of this app with the one authorization layer.
        from peermentor.scholarship import policy  # noqa: F401
