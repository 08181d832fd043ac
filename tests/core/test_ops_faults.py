"""Faults of the database (stopped, locked, disk full): 503 with a friendly page, nothing half
written, and service back by itself once the fault ends."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.test import RequestFactory
from django.urls import reverse

from peermentor.core.faults import is_database_unavailable, unavailable_response
from peermentor.programs.models import Program
from tests.conftest import World, client_for, make_user

FRIENDLY = "PeerMentor is unavailable for a moment"


@contextmanager
def database_fault(
    message: str, *, when: Callable[[str], bool] = lambda sql: True
) -> Iterator[None]:
    """Every query of this thread for which ``when(sql)`` holds fails as the driver would."""

    def failing(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if when(sql):
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(failing):
        yield


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert FRIENDLY in response.content.decode()
    assert "Nothing you were saving was half-saved" in response.content.decode()


def test_disk_full_while_saving_answers_503_and_saves_nothing(world: World) -> None:
    client = client_for(world.director)
    data = {"name": "Oncology PMG", "slug": "onco", "description": ""}
    # The program and its director role are written, then the audit entry hits a full disk.
    with database_fault("database or disk is full", when=lambda sql: "core_auditentry" in sql):
        response = client.post(reverse("program_create"), data)
    _assert_unavailable(response)
    assert not Program.objects.filter(slug="onco").exists()
    assert not world.director.program_roles.filter(program__slug="onco").exists()

    # The disk has room again: the same form goes through.
    response = client.post(reverse("program_create"), data)
    assert response.status_code == 302
    assert Program.objects.filter(slug="onco").exists()


def test_postgresql_gone_answers_503_then_resumes(world: World) -> None:
    client = client_for(world.member)
    client.raise_request_exception = False  # as in production: the 500 handler answers
    refused = (
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused"
    )
    with database_fault(refused):
        _assert_unavailable(client.get(reverse("home")))
        _assert_unavailable(client.get(reverse("group_detail", args=[world.group.pk])))
    assert client.get(reverse("home")).status_code == 200


def test_a_fault_inside_a_view_answers_503_without_a_traceback_page(world: World) -> None:
    client = client_for(world.member)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    # The session and the person are read by middleware; the view's own queries then fail.
    with database_fault(
        "server closed the connection unexpectedly",
        when=lambda sql: "django_session" not in sql and "accounts_user" not in sql,
    ):
        response = client.get(reverse("goal_list"))
    _assert_unavailable(response)
    assert client.get(reverse("goal_list")).status_code == 200


@pytest.mark.skipif(
    "sqlite" not in connection.settings_dict["ENGINE"], reason="an SQLite lock needs SQLite"
)
@pytest.mark.django_db(transaction=True)
def test_sqlite_locked_answers_503_then_resumes_when_the_lock_goes() -> None:
    user = make_user("locked@test.example", "Lou Locked")
    client = client_for(user)
    client.raise_request_exception = False
    assert client.get(reverse("home")).status_code == 200

    # Another connection to the same database holds a write on the sessions table.
    name = connection.settings_dict["NAME"]  # the test database: shared-cache, in memory
    holder = sqlite3.connect(name, uri=str(name).startswith("file:"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE django_session SET expire_date = expire_date")
        _assert_unavailable(client.get(reverse("home")))
        holder.execute("ROLLBACK")
        assert client.get(reverse("home")).status_code == 200
    finally:
        holder.close()


def test_the_503_page_needs_no_database() -> None:
    """No database fixture: any query here would raise "Database access not allowed"."""
    request = RequestFactory().get("/groups/1/")
    request.request_id = "abc123"
    response = unavailable_response(request, OperationalError("database is locked"))
    _assert_unavailable(response)
    assert "abc123" in response.content.decode()


def test_the_api_gets_json() -> None:
    request = RequestFactory().get("/api/v1/programs", HTTP_ACCEPT="application/json")
    response = unavailable_response(request, OperationalError("database is locked"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("database or disk is full"), True),
        (OperationalError("disk I/O error"), True),
        (OperationalError("server closed the connection unexpectedly"), True),
        (InterfaceError("connection already closed"), True),
        (OSError(errno.ENOSPC, "No space left on device"), True),
        (OperationalError("no such table: programs_program"), False),
        (OperationalError('near "SELEC": syntax error'), False),
        (OperationalError("too many SQL variables"), False),
        (OSError(errno.ENOENT, "No such file"), False),
        (ValueError("bug"), False),
        (None, False),
    ],
)
def test_which_errors_are_faults_of_the_database(error: Any, unavailable: bool) -> None:
    assert is_database_unavailable(error) is unavailable


def test_a_bug_is_still_a_500() -> None:
    from peermentor.core.views import server_error

    try:
        raise OperationalError("no such column: x")
    except OperationalError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
