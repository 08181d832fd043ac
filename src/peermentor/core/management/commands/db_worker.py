"""peermentor db_worker: django-tasks' database worker, made to outlive a database outage.

The upstream worker stops at the first database error that is not a lock. PeerMentor's waits
and tries again (1 s, 2 s, 4 s … at most 30 s apart), so a worker started beside the server
resumes by itself when PostgreSQL comes back, as the app servers do.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker as upstream

from peermentor.core.faults import is_database_unavailable

logger = logging.getLogger("peermentor.worker")

MAX_PAUSE_SECONDS = 30.0


class ResilientWorker(upstream.Worker):
    """Runs the upstream loop; when the database is unavailable, pauses and runs it again."""

    def run(self) -> None:
        pause = 1.0
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                if not is_database_unavailable(error):
                    raise
                if time.monotonic() - started > 2 * MAX_PAUSE_SECONDS:
                    pause = 1.0  # it worked for a while: a new outage starts short again
                logger.warning(
                    "Database unavailable (%s); the worker tries again in %.0f s.",
                    type(error).__name__,
                    pause,
                )
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(Exception):  # a broken one may fail to close
                        connection.close()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE_SECONDS)


class Command(upstream.Command):
    help = (
        "Run a background task worker (e-mail, reports, imports, reminders). It waits and "
        "resumes by itself when the database is unavailable for a while."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The upstream command builds its worker from its module's ``Worker``: in this process
        # (which runs nothing but the worker) that is PeerMentor's resilient one.
        upstream.Worker = ResilientWorker  # type: ignore[misc]
        super().handle(*args, **options)
