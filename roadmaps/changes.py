"""Content changes, said out loud once.

Every place that writes a roadmap's content (the importer, the admin's save paths and actions,
reordering, link overrides, reverts, publishing a draft) calls `roadmap_content_changed` once per
transaction, after its writes. It moves each roadmap's content version on (see
`Roadmap.content_version`) inside that transaction, records a revision of each roadmap (who,
how, the whole roadmap as its content file: `roadmaps.revisions`), so the new version and its
revision commit or roll back with the content they describe, and hands the URLs that were saved
to the link checker after the commit, so nothing is queued for a save that rolled back.

This replaces per-row signals: an import of a 173-item roadmap bumps the version once and
records one revision, not one per row, and nothing depends on reading the framework's private
on-commit list. Changes to what a page shows that are not edits of the roadmap's content file
(the courses it lists) use `roadmap_pages_changed`: the same bump and link checks, no revision.
The link checker's own bump (a link hidden from learners) calls `bump_content_version` directly:
it records no revision and must not queue link checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.db import transaction

from roadmaps.linkcheck.queue import links_queue_new
from roadmaps.models import Revision, Roadmap
from roadmaps.revisions import revisions_record


def roadmap_pages_changed(
    *, roadmaps: Iterable[Roadmap | int], urls: Iterable[str] = ()
) -> list[int]:
    """What learners see of `roadmaps` changed without an edit of their content file (e.g. the
    courses a roadmap page shows): bump their content version now and queue link checks for
    `urls` on commit. Returns the roadmaps' ids. `roadmap_content_changed` builds on it."""
    ids = sorted({r.pk if isinstance(r, Roadmap) else r for r in roadmaps} - {None})
    if ids:
        Roadmap.objects.filter(pk__in=ids).bump_content_version()
    new_urls = sorted({url for url in urls if url})
    if new_urls:
        transaction.on_commit(partial(links_queue_new, urls=new_urls))
    return ids


def roadmap_content_changed(
    *,
    roadmaps: Iterable[Roadmap | int],
    urls: Iterable[str] = (),
    how: str = Revision.How.ADMIN,
    user: Any = None,
    message: str | Mapping[int, str] = "",
) -> None:
    """Bump the content version of `roadmaps` now, record a revision of each (`how` it changed,
    by `user`, with an optional `message`, or one per roadmap id) and queue link checks for
    `urls` on commit."""
    ids = roadmap_pages_changed(roadmaps=roadmaps, urls=urls)
    if ids:
        revisions_record(roadmap_ids=ids, how=how, user=user, message=message)
