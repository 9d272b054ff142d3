"""Going back: reverting a roadmap to one of its revisions, through the importer's
all-or-nothing path (rows found again by their identity, so learners' progress is kept by item
key; items the revision lacks are retired if learners have progress on them)."""

from __future__ import annotations

from typing import Any

from roadmaps.content import ImportReport, roadmap_replace
from roadmaps.models import Revision, Roadmap


class RevisionMissing(LookupError):
    pass


def revision_get(*, roadmap: Roadmap, number: int) -> Revision:
    revision = roadmap.revisions.filter(number=number).first()
    if revision is None:
        numbers = list(roadmap.revisions.order_by("number").values_list("number", flat=True))
        known = f"{numbers[0]} to {numbers[-1]}" if numbers else "none yet"
        raise RevisionMissing(f"{roadmap.slug} has no revision {number} (revisions: {known})")
    return revision


def revision_revert(*, roadmap: Roadmap, number: int, user: Any = None) -> ImportReport:
    """Make `roadmap`'s content what revision `number` shows; records a new revision (how:
    revert) unless nothing changed. The roadmap keeps its slug, and a draft copy stays a draft."""
    revision = revision_get(roadmap=roadmap, number=number)
    values: dict[str, Any] = {"slug": roadmap.slug}
    if roadmap.draft_of_id:
        values["status"] = Roadmap.Status.DRAFT
    report, _ = roadmap_replace(
        revision.text,
        source=f"{roadmap.slug} revision {number}",
        how=Revision.How.REVERT,
        user=user,
        message=f"reverted to revision {number}",
        values=values,
    )
    return report
