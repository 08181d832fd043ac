"""Liveness (/healthz) and readiness (/readyz) for supervisors and load balancers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

ALL_OK = {"database": "ok", "migrations": "ok", "cache": "ok", "task_queue": "ok"}


def test_liveness_needs_no_database() -> None:
    """No database fixture: a query would raise, so liveness holds while the database is down."""
    response = Client().get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_ready_when_everything_answers(db: Any) -> None:
    response = Client().get(reverse("readiness"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert "no-store" in response["Cache-Control"]


def test_not_ready_when_the_database_is_down_and_the_body_tells_no_secret(db: Any) -> None:
    secret = 'connection to server at "db.internal" failed: password for user "pm" rejected'

    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise OperationalError(secret)

    with connection.execute_wrapper(refuse):
        response = Client().get(reverse("readiness"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unavailable"
    assert body["checks"]["migrations"] == "skipped"
    assert body["checks"]["task_queue"] == "skipped"
    assert body["checks"]["cache"] == "ok"  # the cache is its own service
    text = json.dumps(body)
    assert "db.internal" not in text
    assert "pm" not in text.replace("skipped", "")
    assert Client().get(reverse("readiness")).status_code == 200  # and back by itself


def test_not_ready_with_migrations_pending(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = Client().get(reverse("readiness"))
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "1 pending"


def test_not_ready_when_the_cache_does_not_answer(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response = Client().get(reverse("readiness"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "not answering"


def test_not_ready_when_the_task_table_is_missing(db: Any) -> None:
    def no_table(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "django_tasks_database_dbtaskresult" in sql:
            raise OperationalError("no such table: django_tasks_database_dbtaskresult")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(no_table):
        response = Client().get(reverse("readiness"))
    assert response.status_code == 503
    assert response.json()["checks"]["task_queue"] == "failed"
