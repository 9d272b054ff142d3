"""The admin's roadmap list: time to render it with 3 and with 100 roadmaps of the Flask
roadmap's size (about 170 items, resources on every phase and tenth item, some broken links).

Anchor, measured in the same run: the list's former query (phase and item counts as Count()
joins, which ran the broken-links subquery once per joined row; an editor measured 11-21 s with
three roadmaps) over the same three roadmaps. Runs on a throw-away database: SQLite, or
PostgreSQL when DATABASE_URL points at one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import median_times, on_a_test_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def median_seconds(action, rounds: int = ROUNDS) -> float:  # type: ignore[no-untyped-def]
    return median_times(action, rounds)[0]


def main() -> None:
    on_a_test_database(measure, instrumented=True)


def measure(connection) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse

    from accounts.tests.factories import UserFactory
    from roadmaps.linkcheck.admin import broken_link_count
    from roadmaps.models import LinkStatus, Resource, Roadmap
    from roadmaps.tests.factories import roadmap_generate

    def build(first: int, last: int) -> None:
        for index in range(first, last):
            roadmap_generate(slug=f"roadmap-{index}", phases=16, sections=3, topics=170)
        urls = Resource.objects.values_list("url", flat=True).distinct()[::7]
        LinkStatus.objects.bulk_create(
            [LinkStatus(url=url, result="broken", confirmed_broken=True) for url in urls],
            ignore_conflicts=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a load this size

    client = Client()
    client.force_login(UserFactory(username="bench", is_staff=True, is_superuser=True))
    url = reverse("admin:roadmaps_roadmap_changelist")

    def page() -> None:
        assert client.get(url).status_code == 200

    def former_query() -> None:
        list(
            Roadmap.objects.annotate(
                _phase_count=Count("phases", distinct=True),
                _topic_count=Count(
                    "topics", filter=Q(topics__retired_at__isnull=True), distinct=True
                ),
                _broken_links=broken_link_count(),
            )
        )

    build(0, 3)
    anchor = median_seconds(former_query, rounds=1)
    three = median_seconds(page)
    build(3, 100)
    hundred = median_seconds(page)
    print(f"database: {connection.vendor}")
    print(f"roadmaps: 3 and 100 of {Resource.objects.count() // 100} resources each")
    print(f"anchor (former query, 3 roadmaps, query alone): {anchor * 1000:.0f} ms")
    print(f"list page, 3 roadmaps:   {three * 1000:.0f} ms (median of {ROUNDS})")
    print(f"list page, 100 roadmaps: {hundred * 1000:.0f} ms (median of {ROUNDS})")
    print(f"ratio anchor / page with 100 roadmaps: {anchor / hundred:.1f}x")


if __name__ == "__main__":
    main()
