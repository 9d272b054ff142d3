"""The signed-in learner's progress: read summaries, set one item, set many at once.

Every write goes through `progress.services` (the same functions the roadmap page uses); this
module only translates HTTP to those calls and their errors to the API's error shape. Nothing
here takes a user id: each endpoint works on `request.auth`, so another learner's progress is
unreachable by construction.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Path, Router
from ninja.errors import HttpError, ValidationError

from accounts.api_auth import LEARNER_AUTH, LearnerRequest
from common.api_errors import ErrorOut, ValidationErrorOut
from common.api_pages import SINGLE_PAGE
from common.api_render import render_json
from common.api_request import never_cached
from common.site import absolute_url
from common.stored import Store, StoredBody, store, stored_response
from progress import services, summaries
from progress.learners import learner_of
from progress.schemas import (
    BulkStatusIn,
    ProgressListOut,
    RoadmapProgressOut,
    StatusIn,
    TopicKey,
    TopicProgressOut,
)
from roadmaps.models import Roadmap, Topic
from roadmaps.pages import published_roadmap
from roadmaps.schemas import SLUG_PATTERN

router = Router(tags=["me"], auth=LEARNER_AUTH)
# Personal data: no browser or proxy keeps a copy.
router.add_decorator(never_cached, mode="view")

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
# Writes take a JSON body: one that does not parse is a 400.
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, **ERRORS}
SlugPath = Path(
    ..., max_length=80, pattern=SLUG_PATTERN, description="The roadmap's slug.", example="flask"
)
TopicKeyPath = Path(..., description="The item's permanent key.", example="jwt-authentication")


def _item(ref: summaries.ItemRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"key": ref.key, "title": ref.title, "kind": ref.kind, "status": ref.status}


def summary_dict(summary: summaries.RoadmapSummary) -> dict[str, Any]:
    roadmap = summary.roadmap
    return {
        "roadmap": {
            "slug": roadmap.slug,
            "title": roadmap.title,
            "display_title": roadmap.display_title,
            "url": absolute_url(roadmap.get_absolute_url()),
            "api_url": absolute_url(
                reverse("api-v1:roadmap_detail", kwargs={"slug": roadmap.slug})
            ),
        },
        "items": summary.items.as_dict(),
        "projects": summary.projects.as_dict(),
        "goals": summary.goals.as_dict(),
        "is_complete": summary.is_complete,
        "months_left": summary.months_left,
        "next_up": _item(summary.next_up),
        "last_activity": summary.last_activity,
        "phases": [
            {"position": phase.position, "title": phase.title, "items": phase.items.as_dict()}
            for phase in summary.phases
        ],
    }


def _roadmap(user: Any, slug: str) -> Roadmap:
    roadmap = Roadmap.objects.visible_to(user).filter(slug=slug).first()
    if roadmap is None:
        raise Http404(f"No roadmap with the slug {slug!r}.")
    return roadmap


def _roadmap_progress(user: Any, roadmap: Roadmap) -> dict[str, Any]:
    summary = services.roadmap_summary(user=user, roadmap=roadmap)
    return {
        **summary_dict(summary),
        "topics": summary.statuses,
        "retired": [_item(ref) for ref in summary.retired],
    }


@router.get(
    "/me/progress",
    url_name="me_progress_list",
    summary="My progress on every roadmap",
    response={200: ProgressListOut, **ERRORS},
)
def progress_list(request: LearnerRequest) -> dict[str, Any]:
    """Summaries of every roadmap you have progress on, most recent activity first."""
    user = request.auth
    summaries = services.learner_roadmaps(
        user=user, published_only=not getattr(user, "is_staff", False)
    )
    return {
        "count": len(summaries),
        **SINGLE_PAGE,
        "items": [summary_dict(summary) for summary in summaries],
    }


@router.get(
    "/me/progress/{slug}",
    url_name="me_progress_detail",
    summary="My progress on one roadmap",
    response={200: RoadmapProgressOut, 404: ErrorOut, **ERRORS},
)
def progress_detail(request: LearnerRequest, slug: str = SlugPath) -> HttpResponse:
    """Counts overall, per kind and per phase, where to continue, and `topics`: the status of
    every item you have started, keyed by topic key."""
    user = request.auth
    # Learners read published roadmaps: their row is kept per content version (one stamp
    # query instead of loading the row); editors may read drafts.
    roadmap = published_roadmap(request, slug, user=user) or _roadmap(user, slug)

    def build() -> bytes:
        # Our own summary, already in the schema's shape and order (a test compares it with
        # the validated answer): ninja's validating and dumping it again cost a fifth of the
        # request.
        return render_json(_roadmap_progress(user, roadmap))

    # The answer is made of the roadmap's content and the learner's marks only: kept, like
    # their summary, per (progress version, content version), with its gzip form (compressing
    # it on every request cost a tenth of the request).
    progress_key = learner_of(user).progress_key
    if progress_key is None:
        return HttpResponse(build(), content_type=JSON_CONTENT_TYPE)
    learner_id, version = progress_key
    stamp = (version, roadmap.content_version)
    stored = ANSWERS.get((learner_id, roadmap.pk), stamp, lambda: store(build()))
    return stored_response(
        request, stored, content_type=JSON_CONTENT_TYPE, cache_control="private, no-cache"
    )


ANSWERS: Store[StoredBody] = Store(max_entries=256)


@router.post(
    "/me/progress/{slug}/bulk",
    url_name="me_progress_bulk",
    summary="Set my status on many items at once",
    response={200: RoadmapProgressOut, **WRITE_ERRORS},
)
def progress_bulk(
    request: LearnerRequest, payload: BulkStatusIn, slug: str = SlugPath
) -> dict[str, Any]:
    """Apply `{"statuses": {key: status, ...}}` in one transaction: when any key is unknown
    (422, naming it) or any item was removed from the roadmap (409), nothing changes. Answers
    with your progress on the roadmap after the change."""
    user = request.auth
    roadmap = _roadmap(user, slug)
    try:
        services.progress_set_many(user=user, roadmap=roadmap, statuses=payload.statuses)
    except services.UnknownTopicError as error:
        raise ValidationError(
            [
                {
                    "loc": ("body", "statuses", error.key),
                    "msg": f"Roadmap {slug!r} has no item with this key.",
                }
            ]
        ) from error
    except services.TopicNotTrackableError as error:
        raise HttpError(409, str(error)) from error
    return _roadmap_progress(user, roadmap)


@router.put(
    "/me/progress/{slug}/{topic_key}",
    url_name="me_progress_set",
    summary="Set my status on one item",
    response={200: TopicProgressOut, **WRITE_ERRORS},
)
def progress_set(
    request: LearnerRequest,
    payload: StatusIn,
    slug: str = SlugPath,
    topic_key: TopicKey = TopicKeyPath,
) -> dict[str, Any]:
    """`done`, `in_progress` or `skipped`; `none` forgets the item (not started). Items removed
    from the roadmap keep their progress but can no longer change (409)."""
    user = request.auth
    roadmap = _roadmap(user, slug)
    topic = Topic.objects.filter(roadmap=roadmap, key=topic_key).first()
    if topic is None:
        raise Http404(f"Roadmap {slug!r} has no item with the key {topic_key!r}.")
    topic.roadmap = roadmap
    try:
        row = services.progress_set(user=user, topic=topic, status=payload.status)
    except services.TopicNotTrackableError as error:
        raise HttpError(409, str(error)) from error
    return {
        "key": topic.key,
        "status": payload.status,
        "updated_at": row.updated_at if row else None,
    }


# "/me/progress/{slug}/bulk" is declared before the single-item path (Django tries URL patterns
# in order), which would make PUT on an item whose key is literally "bulk" a 405. This hidden
# operation gives that item its PUT back on the bulk path.
@router.put(
    "/me/progress/{slug}/bulk",
    url_name="me_progress_set_bulk_key",
    response={200: TopicProgressOut, **WRITE_ERRORS},
    include_in_schema=False,
)
def progress_set_item_named_bulk(
    request: LearnerRequest, payload: StatusIn, slug: str = SlugPath
) -> dict[str, Any]:
    return progress_set(request, payload, slug=slug, topic_key="bulk")
