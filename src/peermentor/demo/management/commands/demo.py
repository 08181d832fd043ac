"""Load the demo program."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.demo.loader import DEMO_PASSWORD, demo_exists, load_demo
from peermentor.programs.models import Program

DEMO_LOGINS = (
    ("director@example.org", "program director"),
    ("evaluator@example.org", "evaluator"),
    ("coder@example.org", "second evaluator (coding)"),
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
        parser.add_argument(
            "--scale",
            choices=["consortium"],
            help="Instead, make a made-up program of consortium size (slug `consortium`: 300 "
            "groups, 2,000 members, 10,000 meetings, 50,000 answers, 100,000 works) for "
            "benchmarks.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"]:
            self.load_consortium()
            return
        if options["if_empty"] and Program.objects.exists():
            self.stdout.write("The database has programs already; the demo is not loaded.")
        elif demo_exists():
            raise CommandError("The demo program is loaded already.")
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("The demo program is loaded."))
        if demo_exists():
            self.print_logins()

    def load_consortium(self) -> None:
        import time

        from peermentor.demo.scale import CONSORTIUM, generate

        if Program.objects.filter(slug=CONSORTIUM.slug).exists():
            raise CommandError("The consortium program is loaded already.")
        started = time.monotonic()
        generate(
            CONSORTIUM, password=DEMO_PASSWORD, say=lambda step: self.stdout.write(f"  {step}…")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"The consortium program is loaded ({time.monotonic() - started:.0f} s)."
            )
        )
        logins = "director@consortium.example and evaluator@consortium.example"
        self.stdout.write(f"  {logins}, password {DEMO_PASSWORD}")

    def print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for login, role in DEMO_LOGINS:
            self.stdout.write(f"  {login:45} {role}")
