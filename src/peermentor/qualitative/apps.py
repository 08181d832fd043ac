"""Application configuration for qualitative analysis."""

from __future__ import annotations

from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "peermentor.qualitative"
    verbose_name = "Qualitative analysis"

    def ready(self) -> None:
        # Register the permission rules of this app with the one authorization layer.
        from peermentor.qualitative import policy  # noqa: F401
