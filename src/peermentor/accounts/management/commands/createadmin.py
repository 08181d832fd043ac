"""Create a site administrator account."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.accounts.models import User
from peermentor.accounts.services import user_create


class Command(BaseCommand):
    help = (
        "Create a site administrator who operates the installation (the admin site, the audit "
        "log) and may create programs. The password is asked for unless --password-file is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The administrator's e-mail address (their login).")
        parser.add_argument("--name", default="Site administrator", help="Their full name.")
        parser.add_argument(
            "--password-file", help="Read the password from this file instead of asking."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise CommandError(f"An account for {email} exists already.")
        password = self._password(options["password_file"])
        user_create(
            email=email, name=options["name"], password=password, is_staff=True, is_superuser=True
        )
        self.stdout.write(self.style.SUCCESS(f"Site administrator {email} created."))

    def _password(self, password_file: str | None) -> str:
        if password_file:
            with open(password_file, encoding="utf-8") as handle:
                return handle.read().strip()
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ.")
        return first
