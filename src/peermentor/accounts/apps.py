"""Application configuration for accounts."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peermentor.accounts"
    verbose_name = "Accounts and profiles"
