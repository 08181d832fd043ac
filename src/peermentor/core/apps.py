"""Application configuration for the core app."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peermentor.core"
    verbose_name = "PeerMentor core"
