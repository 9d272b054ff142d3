"""Draft copies of a published roadmap: editors change the copy freely while learners keep
reading the original, then publish it over the original in one transaction.

A draft copy is a roadmap of its own (status draft, so hidden from learners, the API and
search) with the original's item keys and `draft_of` pointing at the original. Publishing goes
through the importer's path: rows are matched by identity, so items whose keys match keep
learners' progress and items the draft dropped are retired as on any import.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from roadmaps.content import ImportReport, roadmap_export, roadmap_replace
from roadmaps.models import Revision, Roadmap

DRAFT_SUFFIX = "-draft"


class DraftError(ValueError):
    """Why a draft copy cannot be made or published; nothing was changed."""


def _free_slug(roadmap: Roadmap) -> str:
    limit = Roadmap._meta.get_field("slug").max_length or 80
    base = roadmap.slug[: limit - len(DRAFT_SUFFIX) - 3] + DRAFT_SUFFIX
    taken = set(Roadmap.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def draft_copy(*, roadmap: Roadmap, user: Any = None) -> Roadmap:
    """A draft copy of the published `roadmap` (one at a time), with its first revision."""
    if roadmap.draft_of_id:
        raise DraftError(f"{roadmap.slug} is itself a draft copy: edit it directly.")
    if roadmap.status != Roadmap.Status.PUBLISHED:
        raise DraftError(
            f"{roadmap.slug} is not published: learners cannot see it, so edit it directly."
        )
    existing = roadmap.drafts.first()
    if existing is not None:
        raise DraftError(f"{roadmap.slug} already has a draft copy: {existing.slug}.")
    with transaction.atomic():
        _, draft = roadmap_replace(
            roadmap_export(roadmap),
            source=f"{roadmap.slug} (draft copy)",
            how=Revision.How.ADMIN,
            user=user,
            message=f"draft copy of {roadmap.slug} at its revision of content version "
            f"{roadmap.content_version}",
            values={"slug": _free_slug(roadmap), "status": Roadmap.Status.DRAFT},
        )
        Roadmap.objects.filter(pk=draft.pk).update(draft_of=roadmap)
        draft.draft_of = roadmap
    return draft


def draft_publish(*, draft: Roadmap, user: Any = None) -> ImportReport:
    """Apply the draft copy's content to its original in one transaction (recording a revision
    of the original, how: publish) and remove the draft. The original keeps its slug and
    status."""
    original = draft.draft_of
    if original is None:
        raise DraftError(f"{draft.slug} is not a draft copy of a published roadmap.")
    with transaction.atomic():
        report, _ = roadmap_replace(
            roadmap_export(draft),
            source=f"draft copy {draft.slug}",
            how=Revision.How.PUBLISH,
            user=user,
            message=f"published from draft copy {draft.slug}",
            values={"slug": original.slug, "status": original.status},
        )
        # The draft's own rows go with it (editors' trial progress on it too).
        draft.delete()
    return report
