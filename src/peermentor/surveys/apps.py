"""Application configuration for surveys."""

from __future__ import annotations

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "peermentor.surveys"
    verbose_name = "Evaluation surveys"

    def ready(self) -> None:
        # Register the permission rules of this app with the one authorization layer.
        from peermentor.surveys import policy  # noqa: F401
