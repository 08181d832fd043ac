"""Purge the meeting notes of groups closed longer ago than the retention setting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.accounts.privacy import closed_group_notes_purge


class Command(BaseCommand):
    help = (
        "Empty the meeting notes of every group closed at least "
        "PEERMENTOR_CLOSED_GROUP_RETENTION_DAYS days ago (0 turns purging off). Run it daily, "
        "e.g. from cron. --days overrides the setting; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Retention in days, instead of the setting.")
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError("--days must be 0 (never purge) or more.")
        if days is None:
            days = settings.PEERMENTOR_CLOSED_GROUP_RETENTION_DAYS
        result = closed_group_notes_purge(days=days, dry_run=options["dry_run"])
        if result.cutoff is None:
            self.stdout.write("Retention is off (0 days): nothing purged.")
            return
        verb = "Would purge" if options["dry_run"] else "Purged"
        self.stdout.write(
            f"{verb} the notes of {result.meetings} meeting(s) in {len(result.groups)} group(s) "
            f"closed on or before {result.cutoff.isoformat()}."
        )
