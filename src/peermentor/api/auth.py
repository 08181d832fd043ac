"""Bearer-token authentication of the API, with the scope each operation needs.

No token, or a wrong, expired or revoked one: 401. A good token without the operation's scope:
403. Browser sessions are not accepted, so no API call can be forged from another site.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from peermentor.api import selectors, services
from peermentor.api.models import ApiToken
from peermentor.core.audit import audit_record


class ScopeMissing(Exception):
    """The token is good but was not given the scope this operation needs."""

    def __init__(self, scope: str) -> None:
        super().__init__(f"This token lacks the scope {scope}.")
        self.scope = scope


class PersonalAccessToken(HttpBearer):
    """``Authorization: Bearer pm_…`` — a personal access token holding ``scope``."""

    openapi_description = "A personal access token, made on the API tokens page of your account."
    openapi_bearerFormat = "pm_…"

    def __init__(self, scope: str | None) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = selectors.token_for_secret(secret=token.strip())
        if found is None or selectors.lacks_required_second_factor(user=found.user):
            return None
        if self.scope is not None and self.scope not in found.scopes:
            audit_record(
                action="authorization.denied",
                actor=found.user,
                target=found,
                request=request,
                permission=self.scope,
            )
            raise ScopeMissing(self.scope)
        services.token_mark_used(token=found)
        request.user = found.user
        return found


def scoped(scope: str | None) -> dict[str, Any]:
    """Operation options: authenticate by token, require ``scope``, and say so in the schema."""
    return {
        "auth": PersonalAccessToken(scope),
        "openapi_extra": {"x-required-scope": scope or "any"},
    }
