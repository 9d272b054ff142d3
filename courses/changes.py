"""What a write to the course catalog changes elsewhere, said once per transaction.

Roadmap pages show their courses, so every course write (the admin, `courses_import`) moves on
the content version of the roadmaps that show or showed the course (stored pages, API ETags
and caches key on it), and hands saved URLs to the link checker after the commit.

Not `roadmaps.changes.roadmap_content_changed`: that is the call for edits of a roadmap's own
content, which its revisions record as the roadmap's content file; courses are not part of that
file, so a course change is, like a link the checker hides, a change of what the page shows
rather than an edit of the roadmap, and records nothing there.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from roadmaps.linkcheck.queue import links_queue_new
from roadmaps.models import Roadmap


def courses_changed(*, roadmaps: Iterable[Roadmap | int], urls: Iterable[str] = ()) -> None:
    """Move the content version of `roadmaps` on now and queue link checks for `urls` on commit."""
    ids = sorted({r.pk if isinstance(r, Roadmap) else r for r in roadmaps} - {None})
    if ids:
        Roadmap.objects.filter(pk__in=ids).bump_content_version()
    new_urls = sorted({url for url in urls if url})
    if new_urls:
        transaction.on_commit(partial(links_queue_new, urls=new_urls))
