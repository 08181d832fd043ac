"""Application configuration for reports."""

from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "peermentor.reports"
    verbose_name = "Reports and dashboards"
