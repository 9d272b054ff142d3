"""Preview links: a signed, expiring address that shows a draft roadmap to someone who is not
signed in (a reviewer).

The token is signed with the site's SECRET_KEY (django.core.signing, its own salt) and carries
the draft's id, the roadmap it is a draft copy of and its creation time, so it stops working when
it expires, when the draft is published (a draft copy is then removed; any other roadmap is no
longer a draft) or removed, and never shows a later roadmap that reuses the id.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from roadmaps.models import Roadmap

SALT = "roadmaps.preview"
DEFAULT_MAX_AGE = timedelta(days=7)


def preview_max_age() -> timedelta:
    return getattr(settings, "ROADMAP_PREVIEW_MAX_AGE", DEFAULT_MAX_AGE)


def preview_token(*, draft: Roadmap) -> str:
    if draft.status != Roadmap.Status.DRAFT:
        raise ValueError("only drafts get preview links")
    payload = {"d": draft.pk, "o": draft.draft_of_id, "t": int(draft.created_at.timestamp())}
    return signing.dumps(payload, salt=SALT)


def preview_path(*, draft: Roadmap) -> str:
    return reverse("roadmaps:preview", kwargs={"token": preview_token(draft=draft)})


def preview_draft(token: str) -> Roadmap | None:
    """The draft a token shows, or None if the token is forged, expired or its draft is gone
    or published."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=preview_max_age())
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("d"), int):
        return None
    draft = (
        Roadmap.objects.filter(
            pk=payload["d"], draft_of_id=payload.get("o"), status=Roadmap.Status.DRAFT
        )
        .with_level_and_duration()
        .first()
    )
    if draft is None or int(draft.created_at.timestamp()) != payload.get("t"):
        return None
    return draft
