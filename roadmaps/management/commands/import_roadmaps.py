from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roadmaps.content import ContentError, roadmap_import_files


class Command(BaseCommand):
    help = (
        "Import roadmap content files (YAML, see docs/content-format.md). Directories are "
        "searched for *.yaml. All files are imported in one transaction: any problem in any file "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="content files or directories")

    def handle(self, *args: object, paths: list[str], **options: object) -> None:
        try:
            reports = roadmap_import_files(paths)
        except ContentError as error:
            count = len(error.problems)
            raise CommandError(
                f"nothing imported: {count} problem{'s' if count != 1 else ''} found\n"
                + "\n".join(f"  {problem}" for problem in error.problems)
            ) from None
        for report in reports:
            style = self.style.SUCCESS if report.changed else self.style.NOTICE
            self.stdout.write(style(str(report)))
