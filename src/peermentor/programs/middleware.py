"""Ask directors and evaluators for a second factor when the installation requires it."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from peermentor.programs.models import ProgramRole

_ALWAYS_ALLOWED = ("/accounts/", "/static/", "/admin/logout/")


class RequireSecondFactorMiddleware:
    """With PEERMENTOR_REQUIRE_MFA_FOR_STAFF on, staff roles must set up TOTP before going on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up(self, request: HttpRequest) -> bool:
        if not settings.PEERMENTOR_REQUIRE_MFA_FOR_STAFF or not request.user.is_authenticated:
            return False
        if request.path.startswith(_ALWAYS_ALLOWED):
            return False
        holds_staff_role = ProgramRole.objects.filter(user_id=request.user.pk).exists()
        return (
            holds_staff_role
            and not Authenticator.objects.filter(
                user_id=request.user.pk, type=Authenticator.Type.TOTP
            ).exists()
        )
