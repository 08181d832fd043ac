"""When the database cannot answer (stopped, locked, disk full): a 503 page, never a 500.

Every write of PeerMentor runs in a transaction (the services' ``transaction.atomic`` blocks),
so a request cut short by the database has written nothing. Django opens a fresh connection
for the next request when the old one broke, so service resumes by itself when the fault ends.
"""

from __future__ import annotations

import errno
import logging

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control

from peermentor.core.logs import loggable_path

logger = logging.getLogger("peermentor.faults")

RETRY_AFTER_SECONDS = 30

# SQLite reports some programming errors as OperationalError too: those stay 500s (bugs).
_SQLITE_PROGRAMMING_ERRORS = (
    "no such table",
    "no such column",
    "syntax error",
    "no such function",
    "too many sql variables",
    "too many terms in compound select",
)


def is_database_unavailable(error: BaseException | None) -> bool:
    """True for a fault of the database or its disk rather than a bug of PeerMentor."""
    if error is None:
        return False
    if isinstance(error, InterfaceError):
        return True
    if isinstance(error, OperationalError):
        text = str(error).lower()
        return not any(marker in text for marker in _SQLITE_PROGRAMMING_ERRORS)
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def unavailable_response(request: HttpRequest | None, error: BaseException) -> HttpResponse:
    """The 503 answer; rendered with no context processor, so it needs no database."""
    request_id = getattr(request, "request_id", "") if request is not None else ""
    logger.warning(
        "Database unavailable (%s: %s): answered 503.",
        type(error).__name__,
        str(error).splitlines()[0][:200] if str(error) else "",
        extra={"path": loggable_path(request) if request is not None else ""},
    )
    wants_json = request is not None and (
        request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    )
    if wants_json:
        response: HttpResponse = JsonResponse(
            {"detail": "The service is unavailable for a moment; try again.", "status": 503},
            status=503,
        )
    else:
        html = render_to_string(
            "503.html", {"retry_after": RETRY_AFTER_SECONDS, "request_id": request_id}
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True)
    return response
