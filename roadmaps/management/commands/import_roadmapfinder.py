"""Bring the old Next.js site's roadmaps in: `manage.py import_roadmapfinder PATH --out DIR`
writes content files for review, `--apply` imports them (docs/migrating.md)."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from roadmaps.content import ContentError
from roadmaps.migrating.courses import CourseData
from roadmaps.migrating.run import courses_write, site_import


class Command(BaseCommand):
    help = (
        "Read a checkout of the Roadmapfinder Next.js site and write its roadmaps as content "
        "files (--out DIR) and/or import them and its courses (--apply, all-or-nothing). "
        "Prints a report per roadmap."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the site's repository checkout")
        parser.add_argument(
            "--out", metavar="DIR", help="write content files (and courses/courses.yaml)"
        )
        parser.add_argument(
            "--apply", action="store_true", help="import the roadmaps, then the courses"
        )

    def handle(self, *args: Any, path: str, out: str | None, apply: bool, **options: Any) -> None:
        if not out and not apply:
            raise CommandError("say what to do: --out DIR (write files), --apply, or both")
        repository = Path(path)
        if not repository.is_dir():
            raise CommandError(f"{path} is not a directory")
        courses_out = StringIO()
        # One transaction for the roadmaps and the courses: a course the catalog refuses
        # leaves the roadmaps unimported too, so running the command again starts clean.
        with transaction.atomic():
            try:
                result = site_import(
                    repository=repository, out=Path(out) if out else None, apply=apply
                )
            except ContentError as error:
                problems = "\n  ".join(error.problems)
                raise CommandError(
                    f"nothing imported: {len(error.problems)} problem(s) found\n  {problems}"
                ) from None
            if apply:
                self._courses_apply(result.courses, out, courses_out)
        for report in result.reports:
            for line in report.lines():
                self.stdout.write(line)
        if result.written:
            self.stdout.write(
                f"wrote {len(result.written)} content files and courses/courses.yaml to {out}"
            )
        for applied in result.applied:
            self.stdout.write(str(applied))
        self.stdout.write(courses_out.getvalue(), ending="")

    def _courses_apply(self, courses: list[CourseData], out: str | None, stdout: StringIO) -> None:
        """The courses app's `import_courses` on the courses just read. Called by its name:
        the roadmaps app never imports the courses app (docs/migrating.md)."""
        with tempfile.TemporaryDirectory() as scratch:
            path = courses_write(courses, Path(out) if out else Path(scratch))
            try:
                call_command("import_courses", str(path), stdout=stdout)
            except CommandError as error:
                raise CommandError(f"nothing imported (roadmaps nor courses): {error}") from None
