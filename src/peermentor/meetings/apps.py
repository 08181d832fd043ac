"""Application configuration for meetings."""

from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "peermentor.meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Register the permission rules of this app with the one authorization layer.
        from peermentor.meetings import policy  # noqa: F401
