"""Write a program's workbench as a REFI-QDA project, or (OUT ending in .qdc) its codebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.programs.models import Program
from peermentor.qualitative import exchange, refi


class Command(BaseCommand):
    help = (
        "Export the qualitative workbench of --program as a REFI-QDA project (.qdpx) that NVivo, "
        "ATLAS.ti, MAXQDA and QualCoder open; an OUT ending in .qdc receives the codebook only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, metavar="SLUG", help="The program.")
        parser.add_argument("out", metavar="OUT", help="The file to write (.qdpx or .qdc).")

    def handle(self, *args: Any, **options: Any) -> None:
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"No program has the slug “{options['program']}”.")
        out = Path(options["out"])
        try:
            if out.suffix.lower() == ".qdc":
                data = exchange.export_codebook(program=program, actor=None)
            else:
                data = exchange.export_project(program=program, actor=None)
        except refi.RefiError as error:
            raise CommandError(str(error)) from error
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"{out}: {error.strerror}.") from error
        self.stdout.write(f"Wrote {out} ({len(data):,} bytes).")
