"""Structured logs: one JSON object a line on standard error, tagged with the request id.

Web addresses that carry a secret (survey links, invitation links, calendar feeds, password
reset keys) are never written: such a request is logged under its route with the secret
replaced, and query strings are never logged at all.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
from typing import Any

# The request being served by this thread (or task), for every log line written meanwhile.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# URL arguments that are secrets: their value never reaches a log.
_SECRET_ARGUMENTS = re.compile(r"token|key|secret|uidb36|password", re.IGNORECASE)
_ROUTE_ARGUMENT = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_EXTRA_FIELDS = ("request_id", "method", "path", "route", "status", "duration_ms", "user_id")


def sane_request_id(value: str | None) -> str | None:
    """The X-Request-ID a proxy sent, when it is short and harmless; else None."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return None


def loggable_path(request: Any) -> str:
    """The request path without query string, with secret URL arguments replaced."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            from django.urls import Resolver404, resolve

            match = resolve(request.path_info)
        except Resolver404:
            match = None
    if match is not None and any(_SECRET_ARGUMENTS.search(name) for name in match.kwargs):
        route = "/" + (match.route or "").lstrip("^").rstrip("$")
        return _ROUTE_ARGUMENT.sub(
            lambda found: (
                "<redacted>" if _SECRET_ARGUMENTS.search(found.group(1)) else found.group(0)
            ),
            route,
        )
    return str(request.path)


class RequestContextFilter(logging.Filter):
    """Adds the current request id to every record and keeps secret paths out of messages.

    Django's own request logger writes the raw path ("Not Found: /surveys/answer/<token>/");
    such arguments are replaced by the redacted path.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get() or getattr(request, "request_id", "")
        if request is not None and hasattr(request, "path") and isinstance(record.args, tuple):
            raw, safe = str(request.path), loggable_path(request)
            record.args = tuple(safe if arg == raw else arg for arg in record.args)
            if not getattr(record, "path", ""):
                record.path = safe
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, then request fields if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value not in (None, ""):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        status_code = getattr(record, "status_code", None)
        if status_code is not None and "status" not in entry:
            entry["status"] = status_code
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For people reading a terminal: time, level, logger, request id and message."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", "") or "-"
        line = (
            f"{dt.datetime.fromtimestamp(record.created, tz=dt.UTC):%H:%M:%S} "
            f"{record.levelname:<7} {record.name} [{request_id}] {record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """The LOGGING setting: JSON lines (``fmt="json"``) or plain text on standard error."""
    formatter = (
        "peermentor.core.logs.TextFormatter"
        if fmt == "text"
        else ("peermentor.core.logs.JsonFormatter")
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "peermentor.core.logs.RequestContextFilter"}},
        "formatters": {"structured": {"()": formatter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "structured",
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # PeerMentor's own request line replaces runserver's, which shows query strings.
            "django.server": {"level": "WARNING"},
        },
    }
