"""How long after a commit another process hears of it (common/row_watch.py).

A stamp kept in memory is stale from the moment a write to the roadmaps table commits until its
notification reaches the listening socket. This bench commits a content bump on one connection
and reads a second, listening connection without waiting until the notification is there, 300
times; the anchor is a round trip of `SELECT 1` on the same machine in the same run (what asking
for the stamp on every request costs). PostgreSQL only: on SQLite there is nothing to hear.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import on_a_test_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))


def micros(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered) * 1e6:.0f} us, p99 {p99 * 1e6:.0f} us"


def measure(connection) -> None:  # type: ignore[no-untyped-def]
    from common.row_watch import listener_connection
    from roadmaps.models import Roadmap
    from roadmaps.tests.factories import RoadmapFactory

    roadmap = RoadmapFactory()
    listener = listener_connection()  # the web processes' own kind of listener
    pgconn = listener.pgconn
    delays, trips = [], []
    for _ in range(ROUNDS):
        Roadmap.objects.filter(pk=roadmap.pk).bump_content_version()  # autocommit: committed
        committed = time.perf_counter()
        while True:
            pgconn.consume_input()
            if pgconn.notifies() is not None:
                break
        delays.append(time.perf_counter() - committed)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        trips.append(time.perf_counter() - started)
    listener.close()
    print(f"| notification heard after the commit | {micros(delays)} |")
    print(f"| anchor: one round trip (SELECT 1) | {micros(trips)} |")
    ratio = statistics.median(delays) / statistics.median(trips)
    print(f"| ratio (median) | {ratio:.2f} |")


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("stamp_delivery: PostgreSQL only (set DATABASE_URL=postgres://...); skipped.")
        sys.exit(0)
    print(f"Stamp delivery, {ROUNDS} commits:\n| | time |\n|---|---|")
    on_a_test_database(measure)
