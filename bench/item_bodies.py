"""Item bodies: why `Topic.body_html` is stored rather than rendered per request.

Figures: the time to render and sanitize one body (a project brief of about 1,100 characters
with headings, lists, code and links) with `roadmaps.markdown.markdown_html`, and the time of a
whole item page request (`/roadmaps/<slug>/items/<key>/`, signed out) that reads the stored HTML.
Ratio: rendering alone as a share of the stored page's request; rendering per request would
add that share to every item page and panel. Runs on a throw-away SQLite or PostgreSQL database.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on sys.path and its http.py would shadow the standard
# library's http package that Django imports.
sys.path[:] = [entry for entry in sys.path if not entry.rstrip("/").endswith("/bench")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))

BRIEF = """Build a small blog where signed-in authors write posts and readers comment.

## What to build
A Flask app with an application factory, blueprints for `auth` and `blog`, and SQLite through
SQLAlchemy. Posts list newest first; each post has its own page with its comments.

## Requirements
- Register, sign in and out; passwords hashed with `werkzeug.security`.
- Only a post's author can edit or delete it; others get **403**.
- Forms are protected against CSRF; templates escape what users write.

## Acceptance checklist
- [ ] `flask --app blog init-db` then `flask --app blog run` works on a fresh clone.
- [ ] `pytest` passes, with one test per requirement above.
- [ ] No secret in the repository: `SECRET_KEY` comes from the environment.

## Stretch goals
- Pagination, tags, search across titles.
- A JSON API for posts with token authentication.

```python
@bp.route("/<int:id>/update", methods=("GET", "POST"))
@login_required
def update(id):
    post = get_post(id)
```

## Links
- [Flask tutorial](https://flask.palletsprojects.com/en/stable/tutorial/)
- [SQLAlchemy ORM quick start](https://docs.sqlalchemy.org/en/20/orm/quickstart.html)
"""


def median_seconds(action, rounds: int = ROUNDS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmapfinder.settings")
    os.environ.setdefault("TESTING", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    database = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure()
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


def measure() -> None:
    from django.test import Client

    from roadmaps.markdown import markdown_html
    from roadmaps.tests.factories import roadmap_generate

    roadmap = roadmap_generate(slug="bench", phases=4, sections=3, topics=170)
    topic = roadmap.topics.order_by("pk")[85]
    topic.body = BRIEF
    topic.save()
    url = topic.get_absolute_url()
    client = Client()
    client.get(url)  # warm templates and URL resolvers
    render = median_seconds(lambda: markdown_html(BRIEF))
    page = median_seconds(lambda: client.get(url))
    print(f"render + sanitize one {len(BRIEF)}-character body: {render * 1000:.2f} ms")
    print(f"item page with the stored HTML (signed out):      {page * 1000:.2f} ms")
    print(f"ratio render / page: {render / page:.2f}")


if __name__ == "__main__":
    main()
