"""Read a REFI-QDA project (.qdpx) or codebook (.qdc) into a program's workbench."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.programs.models import Program
from peermentor.qualitative import exchange


class Command(BaseCommand):
    help = (
        "Import a REFI-QDA project (.qdpx) or codebook (.qdc) into the workbench of --program, "
        "all or nothing. Objects the program already holds (same GUID) are matched, not copied. "
        "A file that cannot be read ends with a message naming the file and place, and status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="A .qdpx project or a .qdc codebook.")
        parser.add_argument("--program", required=True, metavar="SLUG", help="The program.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"No program has the slug “{options['program']}”.")
        path = Path(options["file"])
        try:
            with path.open("rb") as stream:
                report = exchange.import_project(
                    program=program, data=stream, filename=path.name, actor=None
                )
        except FileNotFoundError as error:
            raise CommandError(f"{path}: no such file.") from error
        except exchange.ExchangeError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        self.stdout.write(
            f"Imported {report.codes} codes, {report.sources} sources, {report.codings} codings, "
            f"{report.notes} memos and {report.coders} coders into {program.name}; "
            f"{report.already_present} were already there."
        )
        for warning in report.warnings:
            self.stdout.write(f"Warning: {warning}")
