"""Middleware: request ids and the request log, 503 when the database is down, no-store pages."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from peermentor.core.faults import is_database_unavailable, unavailable_response
from peermentor.core.logs import loggable_path, request_id_var, sane_request_id

request_logger = logging.getLogger("peermentor.request")


class RequestIdMiddleware:
    """Tags the request (and every log line written meanwhile) with an id, and logs it once.

    A proxy's ``X-Request-ID`` is kept when it is short and plain; otherwise one is made. The
    id is sent back in the response's ``X-Request-ID``. The log line holds the method, the
    path (secret arguments redacted, no query string), the status and the duration.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = sane_request_id(request.headers.get("X-Request-ID")) or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            status = response.status_code
            request_logger.info(
                "%s %s %s",
                request.method,
                loggable_path(request),
                status,
                extra={
                    "method": request.method,
                    "path": loggable_path(request),
                    "route": getattr(request.resolver_match, "view_name", "") or "",
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class DatabaseUnavailableMiddleware:
    """A view stopped by the database (stopped, locked, disk full) answers 503, not 500.

    Faults raised outside views (a session read in another middleware) reach the 500 handler,
    ``peermentor.core.views.server_error``, which answers the same 503.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unavailable(exception):
            return unavailable_response(request, exception)
        return None


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in person may hold private content: never store them.

    Pages reached through a secret link (survey answers, invitations) are private too, though
    their visitor may not be signed in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "kept_privately", False):
            return response  # see privately_kept
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if signed_in or _reached_by_secret_link(request):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


def privately_kept(response: HttpResponse, seconds: int) -> HttpResponse:
    """Let the person's own browser keep this response for ``seconds``, and no cache between.

    Only for content-addressed responses of aggregate figures (a chart whose address changes
    with its numbers): never for a page, a group's content or anyone's answers.
    """
    patch_cache_control(response, private=True, max_age=seconds, immutable=True)
    response.kept_privately = True  # type: ignore[attr-defined]
    return response


def _reached_by_secret_link(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and loggable_path(request) != request.path
