"""Bring the old Next.js site's roadmaps in: `manage.py import_roadmapfinder PATH --out DIR`
writes content files for review, `--apply` imports them (docs/migrating.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roadmaps.content import ContentError
from roadmaps.migrating.run import site_import


class Command(BaseCommand):
    help = (
        "Read a checkout of the Roadmapfinder Next.js site and write its roadmaps as content "
        "files (--out DIR) and/or import them (--apply, all-or-nothing). Prints a report per "
        "roadmap."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the site's repository checkout")
        parser.add_argument(
            "--out", metavar="DIR", help="write content files (and courses/courses.yaml)"
        )
        parser.add_argument("--apply", action="store_true", help="import the roadmaps")

    def handle(self, *args: Any, path: str, out: str | None, apply: bool, **options: Any) -> None:
        if not out and not apply:
            raise CommandError("say what to do: --out DIR (write files), --apply, or both")
        repository = Path(path)
        if not repository.is_dir():
            raise CommandError(f"{path} is not a directory")
        try:
            result = site_import(repository=repository, out=Path(out) if out else None, apply=apply)
        except ContentError as error:
            problems = "\n  ".join(error.problems)
            raise CommandError(
                f"nothing imported: {len(error.problems)} problem(s) found\n  {problems}"
            ) from None
        for report in result.reports:
            for line in report.lines():
                self.stdout.write(line)
        if result.written:
            self.stdout.write(
                f"wrote {len(result.written)} content files and courses/courses.yaml to {out}"
            )
        for applied in result.applied:
            self.stdout.write(str(applied))
