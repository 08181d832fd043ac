"""The navigation: the places of each role the signed-in person holds."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from peermentor.programs.selectors import navigation_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Expose ``nav`` (lazy: pages that never render the navigation pay no query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {"nav": SimpleLazyObject(lambda: navigation_roles(user=user))}
