"""Load the demo program."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.demo.loader import DEMO_PASSWORD, demo_exists, load_demo

DEMO_LOGINS = (
    ("director@example.org", "program director"),
    ("evaluator@example.org", "evaluator"),
    ("member1@example.org … member6@example.org", "members of the 2006 group"),
    ("member7@example.org", "senior mentor of the 2006 group"),
    ("member8@example.org", "member of the 2011 group"),
)


class Command(BaseCommand):
    help = (
        "Load the demo program (slug `demo`): fictional faculty in three peer mentoring groups, "
        "the first modelled on the published 2006 group. Every demo login uses the password "
        f"`{DEMO_PASSWORD}`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database has no program yet; else do nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from peermentor.programs.models import Program

        if options["if_empty"] and Program.objects.exists():
            self.stdout.write("The database has programs already; the demo is not loaded.")
        elif demo_exists():
            raise CommandError("The demo program is loaded already.")
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("The demo program is loaded."))
        if demo_exists():
            self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for login, role in DEMO_LOGINS:
            self.stdout.write(f"  {login:45} {role}")
