"""Public roadmap endpoints: the catalog, one roadmap's whole tree, and search.

The catalog is `Roadmap.objects.catalog` and a roadmap is `roadmaps.tree.roadmap_tree`, the
same queryset and loader the site's pages use; this module only turns them into JSON. The
rendered JSON of a roadmap is cached under the roadmap's id, `updated_at` and audience; every
content change (admin, import) bumps `updated_at`, so the next request misses the old entry and
sees the edit at once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from ninja import Path, Query, Router

from common.api_errors import ErrorOut, ValidationErrorOut
from common.api_pages import page_links
from common.api_render import json_response, render_json
from common.api_request import PUBLIC_SECURITY, api_user
from common.site import absolute_url
from roadmaps.models import Phase, Resource, Roadmap, Section, Tag, Topic
from roadmaps.pages import api_cache_control, stored_json
from roadmaps.schemas import (
    SLUG_PATTERN,
    RoadmapDetailOut,
    RoadmapFilters,
    RoadmapListOut,
    SearchOut,
    SearchParams,
    SuggestOut,
    SuggestParams,
)
from roadmaps.search import SearchGroup, roadmap_search
from roadmaps.search_pages import search_suggestions, stored_search_json, stored_suggestions
from roadmaps.tree import PhaseNode, RoadmapTree, roadmap_tree

# No auth of its own: the API's default (PUBLIC_AUTH, see roadmapfinder.api) lets anyone read
# and editors see drafts, and this app need not import accounts.
router = Router(tags=["roadmaps"])

PUBLIC_ERRORS: dict[int, Any] = {
    401: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}
CACHE_VERSION = 1  # bump when the serialized shape changes, so old entries are never served

# The link checker's verdicts (LinkStatus.Result, or "ok" where an editor accepted the URL) as
# the API reports them: a redirect still reaches the page; "unknown", "blocked" and links never
# checked are "unknown". Learners never receive links confirmed broken (visible_to hides them).
LINK_STATUS = {"ok": "ok", "redirected": "ok", "broken": "broken"}


# --- Serialization ----------------------------------------------------------------------------


def _level_range(roadmap: Roadmap) -> dict[str, str | None]:
    levels = roadmap.level_range
    return (
        {"min": levels[0].value, "max": levels[1].value} if levels else {"min": None, "max": None}
    )


def _tag_dicts(tags: Iterable[Tag]) -> list[dict[str, str]]:
    return [{"slug": tag.slug, "name": tag.name} for tag in tags]


def roadmap_api_url(roadmap: Roadmap) -> str:
    return absolute_url(reverse("api-v1:roadmap_detail", kwargs={"slug": roadmap.slug}))


def roadmap_summary_dict(roadmap: Roadmap) -> dict[str, Any]:
    """A catalog entry; `roadmap` must come from `with_catalog_stats()`."""
    return {
        "slug": roadmap.slug,
        "title": roadmap.title,
        "edition": roadmap.edition,
        "display_title": roadmap.display_title,
        "summary": roadmap.summary,
        "category": roadmap.category,
        "featured": roadmap.featured,
        "trending": roadmap.trending,
        "tags": _tag_dicts(roadmap.tags.all()),
        "phase_count": roadmap.phase_count,  # type: ignore[attr-defined]
        "topic_count": roadmap.topic_count,  # type: ignore[attr-defined]
        "level_range": _level_range(roadmap),
        "duration_months": roadmap.duration_months,
        "updated_at": roadmap.updated_at,
        "url": absolute_url(roadmap.get_absolute_url()),
        "api_url": roadmap_api_url(roadmap),
    }


def _resource_dicts(resources: list[Resource]) -> list[dict[str, Any]]:
    return [
        {
            "kind": resource.kind,
            "title": resource.title,
            "url": resource.url,
            "language": resource.language,
            "is_free": resource.is_free,
            "author": resource.author,
            "description": resource.description,
            "link_status": LINK_STATUS.get(resource.link_result or "", "unknown"),  # type: ignore[attr-defined]
        }
        for resource in resources
    ]


def _duration_dict(phase: Phase) -> dict[str, Any]:
    """The phase's time range, exact (duration_*) and in whole months as API version 1 first
    gave it (min_months rounded down, max_months up, so the months cover the range)."""
    low, high = phase.min_months, phase.max_months
    return {
        "min_months": None if low is None else math.floor(round(low, 6)),
        "max_months": None if high is None else math.ceil(round(high, 6)),
        "duration_min": None if phase.duration_min is None else float(phase.duration_min),
        "duration_max": None if phase.duration_max is None else float(phase.duration_max),
        "duration_unit": phase.duration_unit or None,
        "duration_label": phase.duration_label,
        "timeline": phase.timeline_text,
    }


def _phase_dict(node: PhaseNode) -> dict[str, Any]:
    phase = node.phase
    return {
        "position": phase.position,
        "title": phase.title,
        "level": phase.level or None,
        "level_label": phase.label,
        **_duration_dict(phase),
        "summary": phase.summary,
        "accent": phase.accent,
        "resources": _resource_dicts(node.resources),
        "sections": [
            {
                "position": section.section.position,
                "title": section.section.title,
                "notes": {name: getattr(section.section, name) for name, _ in Section.NOTES},
                "topics": [
                    {
                        "key": topic.topic.key,
                        "title": topic.topic.title,
                        "summary": topic.topic.summary,
                        "kind": topic.topic.kind,
                        "url": absolute_url(topic.topic.get_absolute_url()),
                        "body": topic.topic.body,
                        "body_html": topic.topic.body_html,
                        "resources": _resource_dicts(topic.resources),
                    }
                    for topic in section.topics
                ],
            }
            for section in node.sections
        ],
    }


def roadmap_document(tree: RoadmapTree) -> dict[str, Any]:
    """The whole `tree` as the API shows it; its roadmap must come from
    `with_level_and_duration()`."""
    roadmap = tree.roadmap
    kinds = Counter(node.topic.kind for node in tree.topics())
    return {
        "slug": roadmap.slug,
        "title": roadmap.title,
        "edition": roadmap.edition,
        "display_title": roadmap.display_title,
        "summary": roadmap.summary,
        "description": roadmap.description,
        "category": roadmap.category,
        "featured": roadmap.featured,
        "trending": roadmap.trending,
        "tags": _tag_dicts(roadmap.tags.all()),
        "status": roadmap.status,
        "completion_message": roadmap.completion_message,
        "published_at": roadmap.published_at,
        "updated_at": roadmap.updated_at,
        "url": absolute_url(roadmap.get_absolute_url()),
        "level_range": _level_range(roadmap),
        "duration_months": roadmap.duration_months,
        "counts": {
            "phases": len(tree.phases),
            "sections": sum(1 for _ in tree.sections()),
            "items": tree.topic_count,
            "topics": kinds[Topic.Kind.TOPIC],
            "projects": kinds[Topic.Kind.PROJECT],
            "goals": kinds[Topic.Kind.GOAL],
            "resources": sum(1 for _ in tree.all_resources()),
        },
        "resources": _resource_dicts(tree.resources),
        "phases": [_phase_dict(node) for node in tree.phases],
        "faqs": [
            {"question": faq.question, "answer": faq.answer, "category": faq.category}
            for faq in tree.faqs
        ],
    }


def roadmap_body(roadmap: Roadmap, user: object) -> bytes:
    """The rendered JSON of `roadmap` for `user`, from the cache when the content is unchanged.

    Editors get their own entry: they may see drafts and links the checker found broken.
    """
    audience = "staff" if getattr(user, "is_staff", False) else "public"
    key = f"api:v1:roadmap:{CACHE_VERSION}:{roadmap.pk}:{roadmap.updated_at.isoformat()}:{audience}"
    body = cache.get(key)
    if body is None:
        tree = roadmap_tree(roadmap=roadmap, user=user)
        document = RoadmapDetailOut.model_validate(roadmap_document(tree))
        body = render_json(document.model_dump(mode="json"))
        cache.set(key, body, timeout=settings.API_ROADMAP_CACHE_TTL)
    return body


# --- Endpoints --------------------------------------------------------------------------------


@router.get(
    "/roadmaps",
    url_name="roadmap_list",
    summary="List published roadmaps",
    response={200: RoadmapListOut, 304: None, **PUBLIC_ERRORS},
    openapi_extra={"security": PUBLIC_SECURITY},
)
def roadmap_list(request: HttpRequest, filters: Query[RoadmapFilters]) -> HttpResponse:
    """The catalog, one page at a time: `{"count": N, "next": url, "previous": url, "items":
    [...]}` where `count` is the number of matching roadmaps on all pages and `next` /
    `previous` link the neighbouring pages with the same filters (null at the ends). Filter
    by `category`, `level` (roadmaps with a phase at that level), `tag` (a tag's slug) and
    `q` (every word must appear in the title, summary, category or description; the site's
    catalog filters the same way).
    Answers carry an `ETag`; send it back in `If-None-Match` to get `304 Not Modified`."""
    roadmaps = Roadmap.objects.catalog(
        category=filters.category or "",
        level=filters.level or "",
        query=filters.q or "",
        tag=filters.tag or "",
        ordering=filters.ordering,
    )
    count = roadmaps.count()
    start = (filters.page - 1) * filters.page_size
    stats = roadmaps.with_catalog_stats().prefetch_related("tags")
    page = stats[start : start + filters.page_size] if start < count else []
    payload = RoadmapListOut.model_validate(
        {
            "count": count,
            **page_links(request, page=filters.page, page_size=filters.page_size, count=count),
            "items": [roadmap_summary_dict(roadmap) for roadmap in page],
        }
    )
    return json_response(request, render_json(payload.model_dump(mode="json")))


@router.get(
    "/roadmaps/{slug}",
    url_name="roadmap_detail",
    summary="One roadmap with its whole tree",
    response={200: RoadmapDetailOut, 304: None, 404: ErrorOut, **PUBLIC_ERRORS},
    openapi_extra={"security": PUBLIC_SECURITY},
)
def roadmap_detail(
    request: HttpRequest,
    slug: str = Path(
        ...,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="The roadmap's slug.",
        example="flask",
    ),
) -> HttpResponse:
    """Phases (with level, month range and resources) > sections > items (with resources),
    the roadmap's own resources, its FAQs and counts. Drafts are visible to editors only
    (404 for everyone else). Answers carry `ETag` and `Last-Modified`; conditional requests
    (`If-None-Match`, `If-Modified-Since`) are answered `304 Not Modified`, and anonymous answers
    are `Cache-Control: public`."""
    user = api_user(request)
    if not user.is_authenticated:
        # Anonymous callers share one document per content version, stored compressed.
        stored = stored_json(
            request,
            slug,
            lambda: roadmap_body(_detail_roadmap(slug, user), user),
            cache_control=api_cache_control(),
        )
        if stored is not None:
            patch_vary_headers(stored, ["Authorization", "Cookie"])
            return stored
    roadmap = _detail_roadmap(slug, user)
    return json_response(request, roadmap_body(roadmap, user), last_modified=roadmap.updated_at)


def _detail_roadmap(slug: str, user: object) -> Roadmap:
    roadmap = (
        Roadmap.objects.visible_to(user)
        .with_level_and_duration()
        .filter(slug=slug)
        .only(
            "id",
            "slug",
            "title",
            "edition",
            "summary",
            "description",
            "category",
            "featured",
            "trending",
            "status",
            "completion_message",
            "published_at",
            "updated_at",
        )
        .first()
    )
    if roadmap is None:
        raise Http404(f"No roadmap with the slug {slug!r}.")
    return roadmap


@router.get(
    "/search",
    url_name="search",
    summary="Search roadmaps, phases, items and resources",
    response={200: SearchOut, 304: None, **PUBLIC_ERRORS},
    openapi_extra={"security": PUBLIC_SECURITY},
)
def search(request: HttpRequest, params: Query[SearchParams]) -> HttpResponse:
    """The site's search as JSON, one page at a time: every word of `q` must match (titles,
    summaries, section names, items, resource titles and authors); when nothing does, the
    closest titles are returned with `close_matches: true` ("celry" finds Celery). Hits are
    grouped by roadmap, roadmaps whose title holds every word first, then best roadmap first,
    each hit with an absolute `url` pointing at the matched place on the roadmap page. `count`
    is the number of hits on all pages; `next` / `previous` link the neighbouring pages.
    A query without any word (only punctuation) finds nothing."""
    user = api_user(request)

    def render() -> bytes:
        results = roadmap_search(
            query=params.q, user=user, page=params.page, page_size=params.page_size
        )
        links = page_links(
            request, page=params.page, page_size=results.page_size, count=results.total
        )
        payload = SearchOut.model_validate(
            {
                "query": params.q,
                "count": results.total,
                **links,
                "close_matches": results.close_matches,
                "groups": [_search_group(group) for group in results.groups],
            }
        )
        return render_json(payload.model_dump(mode="json"))

    # Anonymous callers all see the same answer: stored per catalog stamp (search_pages).
    body = render() if user.is_authenticated else stored_search_json(request, render)
    return json_response(request, body)


def _search_group(group: SearchGroup) -> dict[str, Any]:
    roadmap = group.roadmap
    return {
        "roadmap": {
            "slug": roadmap.slug,
            "title": roadmap.title,
            "edition": roadmap.edition,
            "display_title": roadmap.display_title,
            "summary": roadmap.summary,
            "category": roadmap.category,
            "url": absolute_url(roadmap.get_absolute_url()),
            "api_url": roadmap_api_url(roadmap),
        },
        "hits": [
            {
                "kind": hit.kind,
                "title": hit.title,
                "snippet": hit.snippet,
                "url": absolute_url(hit.url),
                "context": hit.context,
            }
            for hit in group.hits
        ],
    }


@router.get(
    "/search/suggest",
    url_name="search_suggest",
    summary="Suggestions while typing a search",
    response={200: SuggestOut, 304: None, **PUBLIC_ERRORS},
    openapi_extra={"security": PUBLIC_SECURITY},
)
def search_suggest(request: HttpRequest, params: Query[SuggestParams]) -> HttpResponse:
    """Up to six places to jump to for the words typed so far (the last word may be
    unfinished), as the site's header search shows them: title, kind, where it is, and the
    path of the place on the site. Published roadmaps only, whoever asks. An empty `q`, or one
    without words, answers an empty list. Throttled like every endpoint."""

    def render() -> bytes:
        suggestions = search_suggestions(params.q) if params.q.strip() else []
        payload = SuggestOut.model_validate(
            {"query": params.q, "suggestions": [vars(item) for item in suggestions]}
        )
        return render_json(payload.model_dump(mode="json"))

    return json_response(request, stored_suggestions(params.q, render))
