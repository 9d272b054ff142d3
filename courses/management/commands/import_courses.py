"""`manage.py import_courses FILE`: apply a courses.yaml (as `import_roadmapfinder --out`
writes it) to the course catalog, all-or-nothing (courses/site_courses.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses.services import CourseImportError
from courses.site_courses import courses_import_file


class Command(BaseCommand):
    help = (
        "Import courses from a courses.yaml file (import_roadmapfinder writes one): created or "
        "updated by key, all-or-nothing. Levels are mapped to the catalog's three (see "
        "docs/migrating.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="courses/courses.yaml")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            report, notes = courses_import_file(Path(file))
        except CourseImportError as error:
            problems = "\n  ".join(error.problems)
            raise CommandError(
                f"no courses imported: {len(error.problems)} problem(s) found\n  {problems}"
            ) from None
        total = len(report.created) + len(report.updated) + report.unchanged
        self.stdout.write(
            f"courses: {total} in the file, {len(report.created)} created, "
            f"{len(report.updated)} updated, {report.unchanged} unchanged"
        )
        if report.categories_created:
            self.stdout.write(f"  categories created: {', '.join(report.categories_created)}")
        for note in notes:
            self.stdout.write(f"  mapped: {note}")
