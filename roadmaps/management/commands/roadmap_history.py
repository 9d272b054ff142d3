from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from roadmaps.models import Roadmap


class Command(BaseCommand):
    help = (
        "List a roadmap's revisions, newest first: number, time (UTC), how, who, size, message. "
        "Compare or revert them in the admin, or with roadmap_revert SLUG NUMBER."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")

    def handle(self, *args: object, slug: str, **options: object) -> None:
        roadmap = Roadmap.objects.filter(slug=slug).first()
        if roadmap is None:
            known = ", ".join(Roadmap.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"no roadmap with slug {slug!r} (known: {known})")
        revisions = roadmap.revisions.order_by("-number").select_related(None)
        for revision in revisions:
            when = timezone.localtime(revision.created_at, timezone.get_fixed_timezone(0))
            self.stdout.write(
                f"{revision.number}\t{when:%Y-%m-%d %H:%M:%S}\t{revision.how}\t{revision.who}"
                f"\tv{revision.content_version}\t{len(revision.snapshot)} bytes"
                f"\t{revision.message}".rstrip()
            )
