"""django-allauth adapters: people join by invitation, never by open sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.utils import timezone

from peermentor.core.audit import audit_record
from peermentor.programs.models import Invitation


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created from invitations; the sign-up page is closed."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        audit_record(action="account.signed_in", actor=user, target=user, request=request)


class InvitedPeopleSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on creates an account only for an address with an open invitation."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        email = (getattr(sociallogin.user, "email", "") or "").strip().lower()
        return (
            bool(email)
            and Invitation.objects.filter(
                email=email,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            ).exists()
        )
