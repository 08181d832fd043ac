"""The one authorization layer: outsiders get 404, insiders without the role get 403.

Each feature app states its rules once in ``policy.py`` (the ``rules`` package); views, exports
and the API fetch objects through :func:`get_for_user_or_404` so that the rule is always applied.
"""

from __future__ import annotations

from typing import Any, TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peermentor.core.audit import audit_record

M = TypeVar("M", bound=Model)


def get_for_user_or_404(
    user: Any,
    queryset: QuerySet[M] | type[M],
    *,
    see: str,
    need: str | None = None,
    **lookup: Any,
) -> M:
    """Fetch an object the user may see (else 404) and act on with ``need`` (else 403)."""
    obj = get_object_or_404(queryset, **lookup)
    if not allowed(user, see, obj):
        _record_denial(user, obj, see)
        raise Http404
    if need is not None and not allowed(user, need, obj):
        _record_denial(user, obj, need)
        raise PermissionDenied
    return obj


def allowed(user: Any, perm: str, obj: Model | None = None) -> bool:
    """Whether the rules grant ``perm``; unlike ``User.has_perm``, superusers get no bypass."""
    return bool(user.is_active and rules.has_perm(perm, user, obj))


def require(user: Any, perm: str, obj: Model | None = None) -> None:
    """Raise 403 unless the user holds ``perm`` (on ``obj`` when given)."""
    if not allowed(user, perm, obj):
        _record_denial(user, obj, perm)
        raise PermissionDenied


def _record_denial(user: Any, obj: Model | None, perm: str) -> None:
    audit_record(action="authorization.denied", actor=user, target=obj, permission=perm)
