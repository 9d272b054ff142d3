"""Check resource links now, in the foreground: `manage.py check_links [--roadmap SLUG] [--all]`.

Without Redis this is how links get checked; with Redis the hourly beat pass does the same work
on the workers. By default only due URLs are checked (never checked first); --all checks every
URL in use.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roadmaps.linkcheck.checker import LinkOutcome
from roadmaps.linkcheck.services import links_check, links_due, links_sync
from roadmaps.models import LinkStatus, Roadmap


class Command(BaseCommand):
    help = "Check resource links now (due ones, or --all) and print a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--roadmap", metavar="SLUG", help="Only this roadmap's links.")
        parser.add_argument(
            "--all", action="store_true", help="Check every link, not only those that are due."
        )
        parser.add_argument("--limit", type=int, default=None, help="Check at most N links.")

    def handle(self, *args: Any, **options: Any) -> None:
        roadmap = None
        if options["roadmap"]:
            roadmap = Roadmap.objects.filter(slug=options["roadmap"]).first()
            if roadmap is None:
                raise CommandError(f"No roadmap with slug {options['roadmap']!r}.")
        links_sync()
        urls = links_due(roadmap=roadmap, include_all=options["all"], limit=options["limit"])
        if not urls:
            self.stdout.write("No links are due. Use --all to check every link now.")
            return
        total = len(urls)
        started = time.monotonic()
        done = 0
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(outcome: LinkOutcome) -> None:
            nonlocal done
            done += 1
            if interactive or done == total or done % max(1, total // 20) == 0:
                width = 30
                filled = int(width * done / total)
                bar = "#" * filled + "-" * (width - filled)
                end = "\r" if interactive and done < total else "\n"
                self.stdout.write(f"[{bar}] {done}/{total} {outcome.result:<10}", ending=end)
                self.stdout.flush()

        summary = links_check(urls=urls, force=options["all"], on_outcome=progress)
        elapsed = time.monotonic() - started
        self._table(summary.results, elapsed)
        problems = [o for o in summary.outcomes if o.result != LinkStatus.Result.OK]
        if problems:
            self.stdout.write("")
            for outcome in sorted(problems, key=lambda o: (o.result, o.url)):
                detail = outcome.error or (
                    f"moved to {outcome.suggestion}" if outcome.suggestion else ""
                )
                self.stdout.write(f"{outcome.result:<10} {outcome.url}  {detail}")
        if summary.skipped:
            self.stdout.write(f"{len(summary.skipped)} link(s) skipped: another checker has them.")
        sys.stdout.flush()

    def _table(self, results: Any, elapsed: float) -> None:
        self.stdout.write("")
        self.stdout.write(f"{'Result':<12}{'Links':>7}")
        self.stdout.write("-" * 19)
        for result in LinkStatus.Result:
            self.stdout.write(f"{result.value:<12}{results.get(result.value, 0):>7}")
        self.stdout.write("-" * 19)
        self.stdout.write(f"{'total':<12}{sum(results.values()):>7}   in {elapsed:.1f} s")
