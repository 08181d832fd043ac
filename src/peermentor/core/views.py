"""Error pages, the liveness check and the readiness check."""

from __future__ import annotations

import logging
import sys
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from peermentor.core.faults import is_database_unavailable, unavailable_response

logger = logging.getLogger("peermentor.readiness")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the person is signed in and may see the object, but not do this."""
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the page does not exist, or the person may not know that it does."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database failed; rendered without context processors."""
    error = sys.exc_info()[1]
    if error is not None and is_database_unavailable(error):
        return unavailable_response(request, error)
    return render(request, "500.html", status=500, using=None)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness, for process supervisors: the process answers. Touches no database."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if not plan else f"{len(plan)} pending"


def _check_cache() -> str:
    key, value = "peermentor:readyz", uuid.uuid4().hex
    cache.set(key, value, 10)
    return "ok" if cache.get(key) == value else "not answering"


def _check_task_queue() -> str:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.order_by().values_list("pk").first()
    return "ok"


_CHECKS = (
    ("database", _check_database),
    ("migrations", _check_migrations),
    ("cache", _check_cache),
    ("task_queue", _check_task_queue),
)


@never_cache
def readiness(request: HttpRequest) -> JsonResponse:
    """Readiness, for load balancers: 200 when the database, migrations, cache and queue are.

    The body names each check and its outcome, never an error text (which may name hosts or
    users); the error itself goes to the server log.
    """
    checks: dict[str, str] = {}
    for name, check in _CHECKS:
        if name in ("migrations", "task_queue") and checks["database"] != "ok":
            checks[name] = "skipped"
            continue
        try:
            checks[name] = check()
        except Exception as error:
            logger.warning("Readiness check %s failed: %s", name, type(error).__name__)
            checks[name] = "unavailable" if is_database_unavailable(error) else "failed"
    ready = all(outcome == "ok" for outcome in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
