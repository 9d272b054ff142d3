"""Content changes, said out loud once.

Every place that writes a roadmap's content (the importer, the admin's save paths and actions,
reordering, link overrides) calls `roadmap_content_changed` once per transaction, after its
writes. It moves each roadmap's content version on (see `Roadmap.content_version`) inside that
transaction, so the new version commits or rolls back with the content it describes, and hands
the URLs that were saved to the link checker after the commit, so nothing is queued for a save
that rolled back.

This replaces per-row signals: an import of a 173-item roadmap bumps the version once, not once
per row, and nothing depends on reading the framework's private on-commit list.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from roadmaps.linkcheck.queue import links_queue_new
from roadmaps.models import Roadmap


def roadmap_content_changed(*, roadmaps: Iterable[Roadmap | int], urls: Iterable[str] = ()) -> None:
    """Bump the content version of `roadmaps` now and queue link checks for `urls` on commit."""
    ids = sorted({r.pk if isinstance(r, Roadmap) else r for r in roadmaps} - {None})
    if ids:
        Roadmap.objects.filter(pk__in=ids).bump_content_version()
    new_urls = sorted({url for url in urls if url})
    if new_urls:
        transaction.on_commit(partial(links_queue_new, urls=new_urls))
