"""A learner's dashboard (`/me/progress`) and public profile with progress on 1, 10 and 100
roadmaps of about 150 items each, marks on every item (done, in progress, skipped).

Prints the median time to render each page and its query count at each size; the anchor is the
same page at 1 roadmap in the same run (ratio 100 / 1: a page that loaded every roadmap's tree
grows with the roadmaps, one that aggregates in SQL barely does). The issue's goal is 100 ms at
100 roadmaps. Runs on a throw-away database: SQLite, or PostgreSQL when DATABASE_URL points at
one (the figures that count).
"""

from __future__ import annotations

import os
import random
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import median_times, on_a_test_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
SIZES = (1, 10, 100)
ITEMS = 150


def median_seconds(action, rounds: int = ROUNDS) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall time and median CPU time of this process (the web side without the
    database's share; steadier than wall time on a machine shared with other work)."""
    return median_times(action, rounds, warm=True)


def main() -> None:
    on_a_test_database(measure, instrumented=False)


def mark_everything(user, roadmap, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """A mark on every item: mostly done, some in progress or skipped, times spread out."""
    from django.utils import timezone

    from progress.models import Progress
    from roadmaps.models import Topic

    now = timezone.now()
    statuses = ["done"] * 6 + ["in_progress"] * 2 + ["skipped"]
    Progress.objects.bulk_create(
        Progress(
            user=user,
            roadmap=roadmap,
            topic_id=topic_id,
            status=rng.choice(statuses),
            updated_at=now - timedelta(minutes=rng.randrange(60 * 24 * 60)),
        )
        for topic_id in Topic.objects.filter(roadmap=roadmap).values_list("pk", flat=True)
    )


def measure(connection) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from accounts.tests.factories import UserFactory
    from roadmaps.tests.factories import roadmap_generate

    rng = random.Random(12)
    learner = UserFactory(username="learner", is_profile_public=True)
    client = Client()
    client.force_login(learner)
    pages = {
        "dashboard": reverse("progress:dashboard"),
        "public profile": reverse("progress:public_profile", args=["learner"]),
    }
    built = 0
    figures: dict[tuple[str, int], tuple[float, float, int]] = {}
    for size in SIZES:
        for index in range(built, size):
            roadmap = roadmap_generate(slug=f"roadmap-{index}", phases=16, sections=3, topics=ITEMS)
            mark_everything(learner, roadmap, rng)
        built = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a load this size
        for name, url in pages.items():
            queries: list[str] = []

            def count(run, sql, *args, queries=queries):  # type: ignore[no-untyped-def]
                queries.append(sql)
                return run(sql, *args)

            with connection.execute_wrapper(count):
                assert client.get(url).status_code == 200
            wall, cpu = median_seconds(lambda url=url: client.get(url))
            figures[(name, size)] = (wall, cpu, len(queries))
    print(f"database: {connection.vendor}; {ITEMS} items a roadmap, a mark on every item")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name in pages:
        for size in SIZES:
            wall, cpu, queries = figures[(name, size)]
            label = f"{name:15} {size:3} roadmap{'s' if size > 1 else ' '}"
            print(
                f"{label}: {wall * 1000:6.1f} ms wall, "
                f"{cpu * 1000:6.1f} ms CPU (web), {queries} queries (median of {ROUNDS})"
            )
        anchor = figures[(name, SIZES[0])]
        last = figures[(name, SIZES[-1])]
        print(
            f"{name:15} ratio {SIZES[-1]} / {SIZES[0]} roadmaps: {last[0] / anchor[0]:.1f}x wall, "
            f"{last[1] / anchor[1]:.1f}x CPU"
        )
    measured = figures[("dashboard", SIZES[-1])][0] * 1000
    print(f"goal: dashboard at 100 roadmaps <= 100 ms (measured {measured:.0f} ms wall)")


if __name__ == "__main__":
    main()
