"""peermentor backup OUT: a consistent backup of the database while PeerMentor serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database into OUT while PeerMentor keeps serving: "
        "SQLite through its online backup API (OUT is an SQLite file), PostgreSQL through "
        "`pg_dump --format=custom`. OUT is readable by its owner only. Restore it with "
        "`peermentor restore OUT`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "out", type=Path, help="The backup file to write (replaced if present)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_database(options["out"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(summary))
