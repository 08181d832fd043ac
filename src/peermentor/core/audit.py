"""Write audit entries; the one way any app records a sensitive action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from peermentor.core.models import AuditEntry

if TYPE_CHECKING:
    from django.http import HttpRequest

_ALLOWED_DETAIL_TYPES = (int, bool, type(None))
_MAX_DETAIL_TEXT = 64


def _clean_details(details: dict[str, Any]) -> dict[str, Any]:
    """Keep identifiers and short enumerated values; refuse anything that looks like free text."""
    cleaned: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, str):
            if len(value) > _MAX_DETAIL_TEXT or "\n" in value:
                raise ValueError(f"Audit detail {key!r} looks like free text; store an id instead.")
        elif not isinstance(value, _ALLOWED_DETAIL_TYPES):
            raise TypeError(f"Audit detail {key!r} must be a string, number, boolean or None.")
        cleaned[key] = value
    return cleaned


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEntry:
    """Append one entry to the audit log."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=_clean_details(details),
        ip_address=_client_ip(request),
    )
