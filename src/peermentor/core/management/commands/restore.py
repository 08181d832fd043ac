"""peermentor restore IN: put a backup made by `peermentor backup` back in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Replace the database's content with the backup IN (made by `peermentor backup`). Stop "
        "the app servers and workers first. SQLite: the current database is first copied beside "
        "itself (`….before-restore-<time>`); PostgreSQL: `pg_restore --clean --if-exists` in one "
        "transaction. A damaged file, a backup of the other database kind, or one made by a "
        "newer PeerMentor is refused and nothing changes. Run `peermentor migrate` afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="The backup file to restore.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backup: Path = options["backup"]
        if not backup.is_file():
            raise CommandError(f"{backup}: no such file.")
        if options["interactive"]:
            answer = input(
                "This replaces everything in the database with the backup. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            summary = restore_database(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(summary))
        self.stdout.write("Now run `peermentor migrate` if this version is newer than the backup.")
