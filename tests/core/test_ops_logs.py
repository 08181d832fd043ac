"""Structured logs: JSON lines with the request id, and no secret link ever written."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peermentor.core.logs import (
    JsonFormatter,
    RequestContextFilter,
    TextFormatter,
    logging_config,
    sane_request_id,
)
from tests.conftest import World, client_for


@contextmanager
def captured() -> Iterator[io.StringIO]:
    """What PeerMentor's own handler (its formatter and filter) writes meanwhile."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _request_line(written: str) -> dict[str, Any]:
    lines = [json.loads(line) for line in written.splitlines()]
    return next(line for line in lines if line["logger"] == "peermentor.request")


def test_each_request_is_one_json_line_with_its_fields(world: World) -> None:
    with captured() as written:
        response = client_for(world.member).get(reverse("home") + "?q=secret-query")
    line = _request_line(written.getvalue())
    assert set(line) >= {"time", "level", "logger", "message", "request_id", "path", "status"}
    assert line["path"] == "/"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["route"] == "home"
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == response["X-Request-ID"]
    assert "secret-query" not in written.getvalue()


def test_a_sane_request_id_from_the_proxy_is_kept_and_sent_back(db: Any) -> None:
    response = Client().get(reverse("health"), HTTP_X_REQUEST_ID="proxy-42.a")
    assert response["X-Request-ID"] == "proxy-42.a"
    response = Client().get(reverse("health"), HTTP_X_REQUEST_ID="<script>" + "x" * 80)
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"].isalnum()


@pytest.mark.parametrize(
    ("value", "kept"),
    [("abc", True), ("a" * 64, True), ("a" * 65, False), ("a b", False), ("", False)],
)
def test_sane_request_ids(value: str, kept: bool) -> None:
    assert (sane_request_id(value) == value) is kept


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("survey_answer", {"token": "S3CRET-survey-token"}),
        ("invitation_accept", {"token": "S3CRET-invitation-token"}),
        ("calendar_feed", {"token": "S3CRET-calendar-token"}),
        ("application_status", {"token": "S3CRET-application-token"}),
    ],
)
def test_secret_links_never_reach_the_log(db: Any, name: str, kwargs: dict[str, str]) -> None:
    with captured() as written:
        # An unknown token: the view answers 404, which Django's own logger reports too.
        Client().get(reverse(name, kwargs=kwargs))
    assert "S3CRET" not in written.getvalue()
    assert "<redacted>" in _request_line(written.getvalue())["path"]
    django_line = [line for line in written.getvalue().splitlines() if "django.request" in line]
    if django_line:  # Django's own warning is tagged with the same request id
        assert (
            json.loads(django_line[0])["request_id"]
            == _request_line(written.getvalue())["request_id"]
        )


def test_password_reset_keys_never_reach_the_log(db: Any) -> None:
    with captured() as written:
        Client().get(
            reverse("account_reset_password_from_key", kwargs={"uidb36": "z9", "key": "S3CRET-k"})
        )
    assert "S3CRET" not in written.getvalue()


def test_secret_link_pages_are_not_stored_by_caches(db: Any) -> None:
    response = Client().get(reverse("survey_answer", kwargs={"token": "unknown"}))
    assert "no-store" in response["Cache-Control"]


def test_the_formatter_writes_exceptions_and_the_text_format_reads_well() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("here",), exc_info=True
        )
        record.exc_info = sys.exc_info()
    record.request_id = "r1"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed here"
    assert entry["request_id"] == "r1"
    assert "ValueError: boom" in entry["exception"]
    assert "[r1] failed here" in TextFormatter().format(record)


def test_the_logging_setting_chooses_the_format() -> None:
    for fmt, formatter in (("json", "JsonFormatter"), ("text", "TextFormatter")):
        chosen = logging_config(level="INFO", fmt=fmt)["formatters"]["structured"]["()"]
        assert chosen.endswith(formatter)
