"""Item bodies: why `Topic.body_html` is stored rather than rendered per request.

Figures: the time to render and sanitize one body (a project brief of about 1,100 characters
with headings, lists, code and links) with `roadmaps.markdown.markdown_html`, and the time of a
whole item page request (`/roadmaps/<slug>/items/<key>/`, signed out) that reads the stored HTML.
Ratio: rendering alone as a share of the stored page's request; rendering per request would
add that share to every item page and panel. Runs on a throw-away SQLite or PostgreSQL database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import median_times, on_a_test_database  # noqa: E402

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
    return median_times(action, rounds)[0]


def main() -> None:
    on_a_test_database(lambda connection: measure(), instrumented=True)


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
