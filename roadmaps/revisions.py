"""Recording and reading revisions of whole roadmaps (the model: `roadmaps.revision_model`).

`revisions_record` is called by `roadmaps.changes.roadmap_content_changed` after every content
change; `revision_edits_since` tells the importer who changed a roadmap since its last import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from roadmaps.models import Revision, Roadmap


def _user_name(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return str(user.get_username())[:150]


def revisions_record(
    *, roadmap_ids: list[int], how: str, user: Any = None, message: str | Mapping[int, str] = ""
) -> list[Revision]:
    """Snapshot each roadmap as it is now (inside the caller's transaction) as its next
    revision. Runs after the content version moved on, so the snapshot carries the new one."""
    # Imported here, not at the top: the content package imports `roadmaps.changes`, which
    # imports this module, so a top-level import would run the package's __init__ half-built.
    from roadmaps.content.export import roadmap_document

    last = dict(
        Revision.objects.filter(roadmap_id__in=roadmap_ids)
        .values("roadmap_id")
        .annotate(top=Max("number"))
        .values_list("roadmap_id", "top")
    )
    revisions = [
        Revision(
            roadmap=roadmap,
            number=last.get(roadmap.pk, 0) + 1,
            user=user if _user_name(user) else None,
            user_name=_user_name(user),
            how=how,
            message=(message if isinstance(message, str) else message.get(roadmap.pk, ""))[:300],
            content_version=roadmap.content_version,
            snapshot=Revision.pack_document(roadmap_document(roadmap)),
        )
        for roadmap in Roadmap.objects.filter(pk__in=roadmap_ids).order_by("pk")
    ]
    return Revision.objects.bulk_create(revisions)


def revision_current_keep(*, roadmap: Roadmap, message: str) -> None:
    """Make sure the roadmap's present state is a revision (before something replaces it): a
    roadmap changed before revisions existed, or only by the link checker, has none yet."""
    latest = roadmap.revisions.order_by("-number").first()
    if latest is None or latest.content_version != roadmap.content_version:
        revisions_record(roadmap_ids=[roadmap.pk], how=Revision.How.IMPORT, message=message)


@dataclass(frozen=True)
class Edits:
    count: int
    who: list[str]


def revision_edits_since(*, roadmap: Roadmap, version: int) -> Edits:
    """Changes other than imports (admin, revert, publish) made after content version `version`."""
    rows = list(
        roadmap.revisions.filter(content_version__gt=version)
        .exclude(how=Revision.How.IMPORT)
        .values_list("user_name", "how")
    )
    who = sorted({name or f"({how}, no user recorded)" for name, how in rows})
    return Edits(count=len(rows), who=who)
