"""Serve PeerMentor with gunicorn, and run a background worker beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = (
        "Serve PeerMentor with gunicorn (static files through whitenoise) and, unless "
        "--no-worker is given, start one background task worker beside it (reminders, imports, "
        "e-mail). Ctrl-C stops both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a task worker (run `peermentor db_worker` apart).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None if options["no_worker"] else self._start_task_worker()
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "peermentor.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--preload",  # loaded once, then forked: warm workers (see peermentor.wsgi)
        ]
        self.stdout.write(f"PeerMentor is at http://{options['host']}:{options['port']}/")
        # A plain `kill` (SIGTERM) stops the server and the worker as Ctrl-C does.
        signal.signal(signal.SIGTERM, _stop)
        try:
            subprocess.run(gunicorn, check=False, env=os.environ.copy())  # noqa: S603
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=10)

    def _start_task_worker(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "peermentor.cli", "db_worker"]
        return subprocess.Popen(command, env=os.environ.copy())  # noqa: S603
