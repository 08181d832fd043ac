"""Application configuration for reports."""

from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "peermentor.reports"
    verbose_name = "Reports and dashboards"

    def ready(self) -> None:
        from peermentor.reports import policy  # noqa: F401 -- registers the rules
