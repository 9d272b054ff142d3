from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from accounts.services import editor_create


class Command(BaseCommand):
    help = (
        "Create an editor: a staff user in the Editors group who can curate roadmaps in the "
        "admin but not manage users. Prompts for the password (or reads EDITOR_PASSWORD)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: object, email: str, **options: object) -> None:
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid email address") from None
        password = os.environ.get("EDITOR_PASSWORD") or self._prompt()
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("password refused: " + " ".join(error.messages)) from None
        user = editor_create(email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Editor {user.email} ready: sign in at /admin/ as {user.username}.")
        )

    def _prompt(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("the passwords differ")
        return password
