"""Make a program evaluation report from the command line, as HTML and/or PDF files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date like 2010-12-31.") from error


class Command(BaseCommand):
    help = (
        "Make the program evaluation report of a program (or one of its groups) for a period, "
        "and write it as PDF and/or HTML. The report is also kept in PeerMentor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="The program's slug.")
        parser.add_argument("--group", help="Only this group (its name, as in the program).")
        parser.add_argument(
            "--from",
            dest="since",
            help="First day (YYYY-MM-DD); default: the day the first group formed.",
        )
        parser.add_argument("--to", dest="until", help="Last day (YYYY-MM-DD); default: today.")
        parser.add_argument("--pdf", type=Path, help="Write the PDF here.")
        parser.add_argument("--html", type=Path, help="Write the HTML here.")

    def handle(self, *args: Any, **options: Any) -> None:
        from peermentor.programs.models import Program
        from peermentor.reports import services

        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"No program has the slug {options['program']!r}.")
        group = None
        if options["group"]:
            group = program.groups.filter(name=options["group"]).first()
            if group is None:
                raise CommandError(f"{program.name} has no group named {options['group']!r}.")
        first = program.groups.order_by("formed_on").values_list("formed_on", flat=True).first()
        since = _date(options["since"]) if options["since"] else first or timezone.localdate()
        until = _date(options["until"]) if options["until"] else timezone.localdate()
        try:
            report = services.report_request(
                program=program, group=group, since=since, until=until, actor=None, queue=False
            )
        except services.ReportError as error:
            raise CommandError(str(error)) from error
        report = services.report_make(report_id=report.pk) or report
        if report.status != report.Status.DONE:
            raise CommandError(f"The report could not be made: {report.error}")
        self._write(options["pdf"], bytes(report.pdf))
        self._write(options["html"], report.html.encode())
        self.stdout.write(
            self.style.SUCCESS(f"Report {report.pk} made: {report.pdf_pages} PDF pages.")
        )

    def _write(self, path: Path | None, data: bytes) -> None:
        if path is None:
            return
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
        self.stdout.write(f"Wrote {path} ({len(data):,} bytes).")
