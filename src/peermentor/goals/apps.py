"""Application configuration for goals."""

from __future__ import annotations

from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "peermentor.goals"
    verbose_name = "Goals, curriculum and resources"

    def ready(self) -> None:
        # Register the permission rules of this app with the one authorization layer.
        from peermentor.goals import policy  # noqa: F401
