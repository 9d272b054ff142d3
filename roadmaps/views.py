"""The public site: catalog, roadmap page, search, robots.txt and the error pages' handlers.

Views stay thin: read rules are QuerySet methods (`Roadmap.objects.visible_to`), the page's tree
comes from `roadmaps.tree.roadmap_tree` and search from `roadmaps.search.roadmap_search`.
Learners' progress is drawn by the progress app's template partials, never loaded here.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from common.search_terms import MAX_QUERY_LENGTH, search_terms
from common.site import absolute_url
from roadmaps.models import Level, Roadmap
from roadmaps.pages import (
    published_roadmap,
    stored_catalog_page,
    stored_content,
    stored_content_applies,
    stored_roadmap_page,
)
from roadmaps.previews import preview_draft
from roadmaps.search import roadmap_search
from roadmaps.tree import roadmap_tree


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    """The stored catalog for visitors without a session (`roadmaps.pages`), else rendered."""
    return stored_catalog_page(request, lambda: _render_catalog(request)) or _render_catalog(
        request
    )


def _render_catalog(request: HttpRequest) -> HttpResponse:
    """Published roadmaps as cards, filtered by category, level and words (the API's catalog
    filters the same way: `Roadmap.objects.catalog`). Unknown filter values are ignored rather
    than answered with an empty page."""
    categories = sorted(set(Roadmap.objects.published().values_list("category", flat=True)) - {""})
    category = request.GET.get("category", "")
    if category not in categories:
        category = ""
    level = request.GET.get("level", "")
    if level not in Level.values:
        level = ""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    roadmaps = Roadmap.objects.catalog(category=category, level=level, query=query)
    return render(
        request,
        "roadmaps/catalog.html",
        {
            "roadmaps": list(roadmaps.with_catalog_stats()),
            "categories": categories,
            "levels": Level.choices,
            "selected_category": category,
            "selected_level": level,
            "query": query,
            "filtered": bool(category or level or query),
        },
    )


@require_GET
def roadmap_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Three ways, one page (`roadmaps.pages`): the stored page for visitors without a
    session; the stored main content with the learner's parts filled in for learners and
    visitors with a session; the whole template for editors (drafts, broken links)."""
    stored = stored_roadmap_page(
        request, slug, lambda extra: _render_roadmap_page(request, slug, extra)
    )
    return stored or _render_roadmap_page(request, slug, {})


def _render_roadmap_page(request: HttpRequest, slug: str, extra: dict[str, str]) -> HttpResponse:
    roadmap = published_roadmap(request, slug) or get_object_or_404(
        Roadmap.objects.visible_to(request.user).with_level_and_duration(), slug=slug
    )
    # The learner's saved language, if the user model has one; roadmaps does not import accounts.
    preferred_language = getattr(request.user, "preferred_language", "") or ""
    context: dict[str, object] = {
        "roadmap": roadmap,
        "canonical_url": absolute_url(roadmap.get_absolute_url()),
        "preferred_language": preferred_language,
        **extra,
    }
    if not extra and stored_content_applies(request, roadmap):
        context["stored_content"] = stored_content(request, roadmap, context)
    else:
        context["tree"] = roadmap_tree(
            roadmap=roadmap, user=request.user, preferred_language=preferred_language
        )
    # A learner's filled content goes in after the template ran (common.splice's middleware).
    return render(request, "roadmaps/detail.html", context)


@require_GET
def roadmap_preview(request: HttpRequest, token: str) -> HttpResponse:
    """A draft shown through a signed preview link (roadmaps.previews), to anyone holding it."""
    roadmap = preview_draft(token)
    if roadmap is None:
        raise Http404("This preview link has expired, or its draft was published or removed.")
    response = render(
        request,
        "roadmaps/detail.html",
        {
            "roadmap": roadmap,
            "tree": roadmap_tree(roadmap=roadmap, user=request.user),
            "canonical_url": absolute_url(roadmap.get_absolute_url()),
            "preferred_language": getattr(request.user, "preferred_language", "") or "",
            "preview": True,
        },
    )
    # The token is the key to the draft: never sent on to the sites the resources link to,
    # never stored by shared caches, never indexed.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    groups = roadmap_search(query=query, user=request.user) if query else []
    return render(
        request,
        "roadmaps/search.html",
        {
            "query": query,
            "groups": groups,
            "hit_count": sum(len(group.hits) for group in groups),
            "has_terms": bool(search_terms(query)),
        },
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute_url(reverse("roadmaps:sitemap"))},
        content_type="text/plain; charset=utf-8",
    )
