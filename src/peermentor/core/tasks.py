"""Helpers for background work that must run later (reminders)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django_tasks import default_task_backend

logger = logging.getLogger(__name__)


def enqueue_at(task: Any, when: dt.datetime, **kwargs: Any) -> bool:
    """Queue ``task`` to run at ``when``; False when the backend cannot defer work."""
    if not default_task_backend.supports_defer:
        logger.info("Task backend cannot defer; %s is not scheduled.", task.name)
        return False
    task.using(run_after=when).enqueue(**kwargs)
    return True
