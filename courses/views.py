"""The public course catalog page: filters in a GET form (works without JavaScript), paged."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from courses.catalog import (
    CourseFilters,
    catalog_categories,
    catalog_languages,
    catalog_page,
)
from courses.models import CourseLevel

PAGE_SIZE = 24


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    """Courses as cards, filtered by category, language and level. Unknown filter values are
    ignored rather than answered with an empty page (like the roadmap catalog)."""
    categories = catalog_categories()
    languages = catalog_languages()
    category = request.GET.get("category", "")
    language = request.GET.get("language", "")
    level = request.GET.get("level", "")
    filters = CourseFilters(
        category=category if category in {c.slug for c in categories} else "",
        language=language if language in dict(languages) else "",
        level=level if level in CourseLevel.values else "",
    )
    page = catalog_page(
        user=request.user, filters=filters, number=request.GET.get("page", 1), size=PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    for name in ("category", "language", "level"):
        if not getattr(filters, name):
            query.pop(name, None)
    return render(
        request,
        "courses/catalog.html",
        {
            "page": page,
            "courses": page.object_list,
            "categories": categories,
            "languages": languages,
            "levels": CourseLevel.choices,
            "filters": filters,
            "filter_query": query.urlencode(),
        },
    )
