from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roadmaps.content import ContentError
from roadmaps.history import RevisionMissing, revision_revert
from roadmaps.models import Roadmap


class Command(BaseCommand):
    help = (
        "Revert a roadmap to one of its revisions (see roadmap_history SLUG), all-or-nothing; "
        "learners' progress is kept by item key, and the revert is itself a new revision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("revision", type=int, help="the revision's number")

    def handle(self, *args: object, slug: str, revision: int, **options: object) -> None:
        roadmap = Roadmap.objects.filter(slug=slug).first()
        if roadmap is None:
            known = ", ".join(Roadmap.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"no roadmap with slug {slug!r} (known: {known})")
        try:
            report = revision_revert(roadmap=roadmap, number=revision)
        except (RevisionMissing, ContentError) as error:
            raise CommandError(f"nothing reverted: {error}") from None
        if report.changed:
            latest = roadmap.revisions.order_by("-number").first()
            self.stdout.write(
                self.style.SUCCESS(f"{report}; now revision {latest.number if latest else '?'}")
            )
        else:
            self.stdout.write(self.style.NOTICE(f"{slug} already matches revision {revision}"))
