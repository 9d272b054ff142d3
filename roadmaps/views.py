"""The public site: catalog, roadmap page, search, robots.txt and the error pages' handlers.

Views stay thin: read rules are QuerySet methods (`Roadmap.objects.visible_to`), the page's tree
comes from `roadmaps.tree.roadmap_tree` and search from `roadmaps.search.roadmap_search`.
Learners' progress is drawn by the progress app's template partials, never loaded here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from common.pager import Pager, page_number
from common.search_terms import MAX_QUERY_LENGTH, search_terms
from common.site import absolute_url
from roadmaps.forms import ResourceSuggestionForm
from roadmaps.items import item_page
from roadmaps.models import Level, Roadmap, Tag
from roadmaps.pages import (
    learner_page,
    published_roadmap,
    stored_catalog_page,
    stored_content,
    stored_content_applies,
    stored_roadmap_page,
)
from roadmaps.previews import preview_draft
from roadmaps.querysets import CATALOG_PAGE_SIZE
from roadmaps.search import roadmap_search
from roadmaps.search_pages import stored_search_page
from roadmaps.suggestions import SuggestionInvalid, SuggestionRateLimited, suggestion_submit
from roadmaps.tree import roadmap_tree

MAX_SEARCH_PAGE = 1000


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    """The stored catalog page for visitors without a session (`roadmaps.pages`), else
    rendered."""
    stored = stored_catalog_page(request, lambda number: _render_catalog(request, page=number))
    return stored or _render_catalog(request)


def _render_catalog(request: HttpRequest, *, page: int | None = None) -> HttpResponse:
    """Published roadmaps as cards, CATALOG_PAGE_SIZE a page, filtered by category, level and
    words (the API's catalog filters and pages the same way: `Roadmap.objects.catalog`).
    Unknown filter values are ignored rather than answered with an empty page; page numbers
    are read as `common.pager` says (garbage is page 1, out of range is clamped). `page`
    overrides the request's own (the stored page renders the number it is stored under)."""
    categories = sorted(set(Roadmap.objects.published().values_list("category", flat=True)) - {""})
    category = request.GET.get("category", "")
    if category not in categories:
        category = ""
    level = request.GET.get("level", "")
    if level not in Level.values:
        level = ""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    popular_tags = list(Tag.objects.popular())
    slug = request.GET.get("tag", "")[:50]
    tag = Tag.objects.filter(slug=slug).first() if slug else None
    roadmaps = Roadmap.objects.catalog(
        category=category, level=level, query=query, tag=tag.slug if tag else ""
    )
    pager = Pager.for_request(request, count=roadmaps.count(), size=CATALOG_PAGE_SIZE)
    if page is not None:
        pager = replace(pager, number=min(max(page, 1), pager.last))
    cards = roadmaps.with_catalog_stats().prefetch_related("tags")[
        pager.start : pager.start + CATALOG_PAGE_SIZE
    ]
    return render(
        request,
        "roadmaps/catalog.html",
        {
            "roadmaps": list(cards),
            "pager": pager,
            "popular_tags": popular_tags,
            "selected_tag": tag,
            "categories": categories,
            "levels": Level.choices,
            "selected_category": category,
            "selected_level": level,
            "query": query,
            "filtered": bool(category or level or query or tag),
        },
    )


class OnRender:
    """Text a template makes only if it renders it (`str`): Django's `lazy` builds a proxy class
    per call, which cost more (~0.14 ms) than the reverse it put off."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], str]) -> None:
        self.make = make

    def __str__(self) -> str:
        return self.make()


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
        # Read only when the page is rendered: a learner's kept page is not (roadmaps.pages).
        "canonical_url": OnRender(lambda: absolute_url(roadmap.get_absolute_url())),
        "preferred_language": preferred_language,
        **extra,
    }
    if not extra and stored_content_applies(request, roadmap):
        context["stored_content"] = stored_content(request, roadmap, context)
        # The kept layout around the learner's filled content, which goes in after the
        # template ran (common.splice's middleware).
        return learner_page(request, roadmap, context)
    context["tree"] = roadmap_tree(
        roadmap=roadmap, user=request.user, preferred_language=preferred_language
    )
    return render(request, "roadmaps/detail.html", context)


def _item_context(request: HttpRequest, slug: str, key: str, form: object = None) -> dict:
    page = item_page(request, slug=slug, key=key)
    return {
        "page": page,
        "roadmap": page.roadmap,
        "topic": page.topic,
        "canonical_url": absolute_url(page.topic.get_absolute_url()),
        "suggestion_form": form or ResourceSuggestionForm(),
    }


@require_GET
def item_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """An item as its own page: works without JavaScript, and is what a shared link opens."""
    response = render(request, "roadmaps/item.html", _item_context(request, slug, key))
    response["Cache-Control"] = "private, no-cache"  # the learner's status is on it
    return response


@require_GET
def item_panel(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The item page's main part alone, for the roadmap page's panel (static/js/items.js)."""
    context = {**_item_context(request, slug, key), "in_panel": True}
    response = render(request, "roadmaps/_item.html", context)
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
@require_POST
def item_suggest(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A signed-in learner suggests a resource for the item; editors review it in the admin."""
    page = item_page(request, slug=slug, key=key)
    form = ResourceSuggestionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            suggestion_submit(user=request.user, topic=page.topic, **form.cleaned_data)
        except SuggestionRateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except SuggestionInvalid as error:
            for name, messages_ in error.errors.items():
                form.add_error(name if name in form.fields else None, messages_)
        else:
            messages.success(
                request,
                f"Thank you! Your suggestion for '{page.topic.title}' was sent to the editors "
                "for review.",
            )
            return redirect(f"{page.topic.get_absolute_url()}#suggest")
    context = {**_item_context(request, slug, key, form), "suggestion_open": True}
    return render(request, "roadmaps/item.html", context, status=status)


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
    """One page of results (`roadmaps.search`), stored for visitors without a session
    (`roadmaps.search_pages`). A page number that is not a positive number means page 1."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    page = page_number(request.GET.get("page"), last=MAX_SEARCH_PAGE)

    def render_page() -> HttpResponse:
        results = roadmap_search(query=query, user=request.user, page=page) if query else None
        pager = results.pager(path=request.path, query=urlencode({"q": query})) if results else None
        return render(
            request,
            "roadmaps/search.html",
            {
                "query": query,
                "results": results,
                "pager": pager,
                "has_terms": bool(search_terms(query)),
            },
        )

    return stored_search_page(request, query=query, page=page, render_page=render_page) or (
        render_page()
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute_url(reverse("roadmaps:sitemap"))},
        content_type="text/plain; charset=utf-8",
    )
