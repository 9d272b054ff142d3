"""The search page as stored bytes, and the header's suggestions.

A visitor with no session sees the same search page as every such visitor for the same words
and page, so that page is rendered once per catalog stamp (which every content write and
status change moves: `roadmaps.pages.catalog_stamp`) and kept compressed (`common.stored`), in
a store of its own: typed queries are unbounded, and must not push the roadmap pages out of the
shared one. Learners, editors and anyone with a session get the page rendered.

Suggestions are the first few hits of `roadmap_search` as anonymous visitors see them, so a
draft is never suggested, not even to the editors writing it; their JSON is stored in the same
way, per typed query and catalog stamp, and so are the API's search answers to anonymous
callers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from common.search_terms import search_terms
from common.stored import Store, StoredBody, store, stored_response
from roadmaps.pages import HTML, catalog_stamp, is_plain_visitor
from roadmaps.search import roadmap_search

SUGGESTIONS = 6
# A stored search page is ~20 KB plain and ~4 KB compressed: ~12 MB at most per process.
SEARCH_STORE: Store[StoredBody] = Store(max_entries=512)


def stored_search_page(
    request: HttpRequest, *, query: str, page: int, render_page: Callable[[], HttpResponse]
) -> HttpResponse | None:
    """The stored search page for a plain visitor, None for anyone else."""
    if not is_plain_visitor(request):
        return None
    stored = SEARCH_STORE.get(
        ("search", query, page), catalog_stamp(request), lambda: store(render_page().content)
    )
    return stored_response(request, stored, content_type=HTML)


@dataclass(frozen=True)
class Suggestion:
    title: str
    kind: str
    context: str  # the roadmap, and where in it
    url: str


def stored_search_json(request: HttpRequest, render: Callable[[], bytes]) -> bytes:
    """The API's search answer for an anonymous caller, rendered once per catalog stamp and
    query string (its `next` / `previous` links carry every parameter as sent)."""
    key = ("api-search", request.GET.urlencode())
    return SEARCH_STORE.get(key, catalog_stamp(request), lambda: store(render())).plain()


def stored_suggestions(query: str, render: Callable[[], bytes]) -> bytes:
    """The suggestions' answer for `query`, rendered by `render` once per catalog stamp: the
    same for everyone (published roadmaps only), and asked for on every keystroke, so a prefix
    many learners type ("fla") costs one stamp query after the first."""
    if not search_terms(query):
        return render()
    return SEARCH_STORE.get(("suggest", query), catalog_stamp(), lambda: store(render())).plain()


def search_suggestions(query: str) -> list[Suggestion]:
    """A few places to jump to while typing `query`, best first (published roadmaps only)."""
    results = roadmap_search(query=query, user=None, page_size=SUGGESTIONS)
    suggestions = []
    for group in results.groups:
        for hit in group.hits:
            where = group.roadmap.title
            context = (
                where if hit.kind == "roadmap" or not hit.context else f"{where} · {hit.context}"
            )
            suggestions.append(
                Suggestion(title=hit.title, kind=hit.kind, context=context, url=hit.url)
            )
    return suggestions
