"""The paged catalog for visitors: a stored page (`roadmaps.pages.stored_catalog_page`, one
per page number and catalog stamp) against the same page rendered, with 120 published
roadmaps (five pages of 24).

Prints the median time of page 1 and page 3 served stored, and of page 3 rendered (the same
address with an empty filter, which is never stored), and the ratio rendered / stored: the
anchor is the rendered page in the same run. Runs on a throw-away database: SQLite, or
PostgreSQL when DATABASE_URL points at one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import median_times, on_a_test_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))
ROADMAPS = 120


def median_ms(action) -> float:  # type: ignore[no-untyped-def]
    return median_times(action, ROUNDS, warm=True)[0] * 1000


def main() -> None:
    on_a_test_database(measure, instrumented=False)


def measure(connection) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from roadmaps.tests.factories import roadmap_generate

    for index in range(ROADMAPS):
        roadmap_generate(slug=f"roadmap-{index:03}", phases=8, sections=2, topics=60)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()  # no session: a plain visitor

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200 and b'aria-current="page"' in response.content

    first = median_ms(lambda: get("/"))
    third = median_ms(lambda: get("/?page=3"))
    rendered = median_ms(lambda: get("/?page=3&category="))
    print(f"database: {connection.vendor}; {ROADMAPS} roadmaps, 24 a page")
    print(f"page 1 stored:   {first:6.2f} ms (median of {ROUNDS})")
    print(f"page 3 stored:   {third:6.2f} ms")
    print(f"page 3 rendered: {rendered:6.2f} ms (anchor)")
    print(f"ratio rendered / stored (page 3): {rendered / third:.1f}x")


if __name__ == "__main__":
    main()
