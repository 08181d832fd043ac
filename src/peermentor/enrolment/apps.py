"""Application configuration for enrolment."""

from __future__ import annotations

from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "peermentor.enrolment"
    verbose_name = "Enrolment"

    def ready(self) -> None:
        from peermentor.enrolment import policy  # noqa: F401 - registers the rules
