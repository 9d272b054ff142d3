"""The public site: catalog, roadmap page, search, robots.txt and the error pages' handlers.

Views stay thin: read rules are QuerySet methods (`Roadmap.objects.visible_to`), the page's tree
comes from `roadmaps.tree.roadmap_tree` and search from `roadmaps.search.roadmap_search`.
Learners' progress is drawn by the progress app's template partials, never loaded here.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from roadmaps.models import Level, Roadmap
from common.search_terms import MAX_QUERY_LENGTH, search_terms
from roadmaps.search import roadmap_search
from roadmaps.tree import roadmap_tree


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    """Published roadmaps as cards, filtered by category, level and words of the title or
    summary. Unknown filter values are ignored rather than answered with an empty page."""
    published = Roadmap.objects.published()
    categories = sorted(
        {category for category in published.values_list("category", flat=True) if category}
    )
    category = request.GET.get("category", "")
    level = request.GET.get("level", "")
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()

    roadmaps = published.with_catalog_stats()
    if category in categories:
        roadmaps = roadmaps.filter(category=category)
    else:
        category = ""
    if level in Level.values:
        roadmaps = roadmaps.filter(phases__level=level).distinct()
    else:
        level = ""
    for term in search_terms(query):
        roadmaps = roadmaps.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(category__icontains=term)
            | Q(description__icontains=term)
        )
    return render(
        request,
        "roadmaps/catalog.html",
        {
            "roadmaps": list(roadmaps),
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
    roadmap = get_object_or_404(Roadmap.objects.visible_to(request.user), slug=slug)
    tree = roadmap_tree(roadmap=roadmap, user=request.user)
    # The learner's saved language, if the user model has one; roadmaps does not import accounts.
    preferred_language = getattr(request.user, "preferred_language", "") or ""
    return render(
        request,
        "roadmaps/detail.html",
        {
            "roadmap": roadmap,
            "tree": tree,
            "canonical_url": settings.SITE_URL + roadmap.get_absolute_url(),
            "preferred_language": preferred_language,
            "duration_months": max((node.phase.max_months or 0 for node in tree.phases), default=0),
            "level_range": _level_range([node.phase.level for node in tree.phases]),
        },
    )


def _level_range(levels: list[str]) -> tuple[str, str] | None:
    known = [Level.rank(level) for level in levels if level in Level.values]
    if not known:
        return None
    return str(Level.labels[min(known)]), str(Level.labels[max(known)])


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
        {"sitemap_url": f"{settings.SITE_URL}/sitemap.xml"},
        content_type="text/plain; charset=utf-8",
    )
