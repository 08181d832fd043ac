"""Import or check files of works from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from peermentor.accounts.models import User
from peermentor.programs.models import Program
from peermentor.scholarship import services
from peermentor.scholarship.importers import read_file
from peermentor.scholarship.records import ReadResult, WorkFileError


class Command(BaseCommand):
    help = (
        "Import works from PubMed XML, MEDLINE .nbib, ORCID JSON/XML, BibTeX, RIS, CSL-JSON, "
        "Crossref JSON or the CSV template, matching authors to members of --program (or only "
        "to --member). With --dry-run the files are only read. With --json one JSON object is "
        "printed. A file that cannot be read ends the command with status 1 and saves nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Files of works.")
        parser.add_argument("--program", help="Match authors to members of this program (slug).")
        parser.add_argument("--member", help="Match authors to this member only (e-mail).")
        parser.add_argument("--dry-run", action="store_true", help="Read only; save nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        read = [(Path(name), self._read(Path(name))) for name in options["files"]]
        if options["json"]:
            self.stdout.write(json.dumps({"files": [_as_json(p, r) for p, r in read]}))
        if options["dry_run"]:
            if not options["json"]:
                for path, result in read:
                    self.stdout.write(
                        f"{path}: {len(result.records)} works "
                        f"({result.format}), {len(result.errors)} skipped"
                    )
            return
        members = self._members(options["program"], options["member"])
        with transaction.atomic():
            reports = [
                services.works_import(
                    data=path.read_bytes(), filename=path.name, actor=None, members=members
                )
                for path, _ in read
            ]
        if not options["json"]:
            for report in reports:
                self.stdout.write(
                    f"{report.file}: {report.imported} new, {report.merged} "
                    f"merged, {len(report.skipped)} skipped, "
                    f"{report.claims_pending} waiting for a claim"
                )

    def _read(self, path: Path) -> ReadResult:
        try:
            return read_file(path.read_bytes(), filename=path.name)
        except FileNotFoundError as error:
            raise CommandError(f"{path}: no such file.") from error
        except WorkFileError as error:
            raise CommandError(str(error)) from error

    def _members(self, slug: str | None, email: str | None) -> list[User]:
        if email:
            users = list(User.objects.filter(email__iexact=email).select_related("profile"))
            if not users:
                raise CommandError(f"No member with the e-mail address {email}.")
            return users
        if slug:
            if not Program.objects.filter(slug=slug).exists():
                raise CommandError(f"No program with the slug {slug!r}.")
            return list(
                User.objects.filter(memberships__group__program__slug=slug)
                .select_related("profile")
                .distinct()
            )
        return []


def _as_json(path: Path, result: ReadResult) -> dict[str, Any]:
    return {
        "path": str(path),
        "format": result.format,
        "records": [
            {
                "type": r.type,
                "title": r.title,
                "year": r.year,
                "doi": r.doi,
                "pmid": r.pmid,
                "authors": [{"name": a.name, "orcid": a.orcid} for a in r.authors],
            }
            for r in result.records
        ],
        "errors": [{"record": record, "message": message} for record, message in result.errors],
    }
