"""django-allauth adapters: people join by invitation, never by open sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
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

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            _audit_failure("account.sign_in_refused", request, credentials)  # too many tries
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        _audit_failure("account.sign_in_failed", request, credentials)


def _audit_failure(action: str, request: HttpRequest, credentials: dict[str, Any]) -> None:
    """A failed or refused sign-in: the account tried when it exists (never the text typed,
    which may be a mistyped password), and the address it came from."""
    email = str(credentials.get("email") or credentials.get("username") or "").strip()
    tried = get_user_model().objects.filter(email__iexact=email).first() if email else None
    audit_record(action=action, target=tried, request=request, known_account=tried is not None)


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
