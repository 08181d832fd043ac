"""Application configuration for qualitative analysis."""

from __future__ import annotations

from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "peermentor.qualitative"
    verbose_name = "Qualitative analysis"
