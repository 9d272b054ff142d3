from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roadmaps.content import roadmap_export
from roadmaps.models import Roadmap


class Command(BaseCommand):
    help = "Write a roadmap as a content file (to standard output, or to --output FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="file to write instead of standard output")

    def handle(self, *args: object, slug: str, output: str | None, **options: object) -> None:
        roadmap = Roadmap.objects.filter(slug=slug).first()
        if roadmap is None:
            known = ", ".join(Roadmap.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"no roadmap with slug {slug!r} (known: {known})")
        text = roadmap_export(roadmap)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"wrote {output}")
        else:
            self.stdout.write(text, ending="")
