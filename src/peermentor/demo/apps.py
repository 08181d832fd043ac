"""Application configuration for the demo."""

from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "peermentor.demo"
    verbose_name = "Demo program"
