"""Application configuration for the REST API."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "peermentor.api"
    verbose_name = "REST API"
