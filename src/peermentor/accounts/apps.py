"""Application configuration for accounts."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peermentor.accounts"
    verbose_name = "Accounts and profiles"

    def ready(self) -> None:
        from peermentor.accounts import sessions  # noqa: F401 (connects the session receivers)
