"""Application configuration for programs."""

from __future__ import annotations

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "peermentor.programs"
    verbose_name = "Programs and groups"

    def ready(self) -> None:
        # Register the permission rules of this app with the one authorization layer.
        from peermentor.programs import policy  # noqa: F401
