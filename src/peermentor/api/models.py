"""Personal access tokens for the REST API: only a hash of each secret is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    """What a token may read; each API operation needs exactly one of these."""

    PROGRAMS = "read:programs", "Programs I direct, evaluate or belong to"
    GROUPS = "read:groups", "Groups and their members"
    MEETINGS = "read:meetings", "Meetings of my groups, with agendas, notes and attendance"
    GOALS = "read:goals", "Goals shared with my groups"
    WORKS = "read:works", "My works, my groups' works, program productivity figures"
    SURVEYS = "read:surveys", "Survey waves and response counts (directors, evaluators)"
    WORKBENCH = "read:workbench", "Codebooks and coded passages (evaluators)"


class ApiToken(models.Model):
    """A personal access token: a name, scopes, an expiry; revoked, never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # SHA-256 of the secret, hex; the secret itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the secret, so the owner can tell tokens apart.
    prefix = models.CharField(max_length=12)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
