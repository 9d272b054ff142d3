"""Stored pages: the roadmap page, the catalog and the API's roadmap document, rendered once
per content stamp and served compressed (`common.stored`).

A visitor with no session and no pending messages sees exactly what every such visitor sees,
except the CSRF token of the page's one form, which is the page's last element. So that page is
rendered once per `Roadmap.content_version` (every content write bumps it) with a placeholder
for the token, kept by `common.stored` with its gzip form, and each request adds only its own
token: one indexed query for the version, no template, no tree. Everyone else (learners with
progress or a session, editors, drafts) gets the rendered page (`roadmaps.views`).

The catalog changes when any roadmap does: its stamp is one aggregate over the roadmaps table
(every content write and every status change moves `updated_at` and `content_version`). Stamps
are read with one short SQL statement each: through the ORM the same lookup cost four times as
much CPU per request (README "Performance").
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from common.pager import page_count, page_number
from common.stored import STORE, StoredBody, store, stored_response
from roadmaps.models import Roadmap
from roadmaps.querysets import CATALOG_PAGE_SIZE
from roadmaps.tree import roadmap_tree

TOKEN_PLACEHOLDER = "csrf-token-placeholder-9c41e7"  # noqa: S105 - replaced per request
HTML = "text/html; charset=utf-8"
# django.contrib.messages' cookie storage keeps pending messages under this name.
MESSAGES_COOKIE = "messages"
# Catalog pages kept per stamp: the first pages are what visitors read; further pages are
# rendered per request rather than crowding out roadmap pages in the shared store.
MAX_STORED_CATALOG_PAGES = 10


def _one_row(sql: str, params: list[str]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def roadmap_stamp(slug: str) -> tuple | None:
    """(id, content_version, updated_at) of the published roadmap `slug`, None if none."""
    table = connection.ops.quote_name(Roadmap._meta.db_table)
    return _one_row(
        f"SELECT id, content_version, updated_at FROM {table} WHERE slug = %s AND status = %s",  # noqa: S608
        [slug, Roadmap.Status.PUBLISHED.value],
    )


def catalog_stamp() -> tuple | None:
    """Moves whenever a roadmap's content or status changes (both bump the roadmap); its last
    figure is the number of published roadmaps (the catalog's page count)."""
    table = connection.ops.quote_name(Roadmap._meta.db_table)
    published = Roadmap.Status.PUBLISHED.value
    return _one_row(
        f"SELECT COUNT(*), SUM(content_version), MAX(updated_at), "  # noqa: S608
        f"SUM(CASE WHEN status = %s THEN id ELSE 0 END), "
        f"SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) FROM {table}",
        [published, published],
    )


def is_plain_visitor(request: HttpRequest) -> bool:
    """No session (so no account, no session progress) and no messages waiting to be shown."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def stored_roadmap_page(
    request: HttpRequest, slug: str, render_page: Callable[[dict[str, str]], HttpResponse]
) -> HttpResponse | None:
    """The stored page of a published roadmap for a plain visitor, None for anyone else (or
    an unknown slug). `render_page(extra_context)` renders the page the usual way."""
    if not is_plain_visitor(request):
        return None
    stamp = roadmap_stamp(slug)
    if stamp is None:
        return None

    def build() -> StoredBody:
        response = render_page({"csrf_token": TOKEN_PLACEHOLDER})
        return store(response.content, split=TOKEN_PLACEHOLDER.encode())

    stored = STORE.get(("roadmap-page", slug), stamp, build)
    # The visitor's own token (and the CSRF cookie, set by the middleware when missing).
    token = get_token(request).encode()
    return stored_response(
        request, stored, content_type=HTML, part=token, cache_control="private, no-cache"
    )


def stored_catalog_page(
    request: HttpRequest, render_page: Callable[[int], HttpResponse]
) -> HttpResponse | None:
    """A page of the unfiltered catalog for a plain visitor (it has no form with a token), else
    None. Each page number is stored on its own, the first MAX_STORED_CATALOG_PAGES of them;
    `render_page(number)` renders page `number` the usual way."""
    if set(request.GET) - {"page"} or not is_plain_visitor(request):
        return None
    stamp = catalog_stamp()
    last = page_count(stamp[4] or 0 if stamp else 0, CATALOG_PAGE_SIZE)
    number = page_number(request.GET.get("page"), last=last)
    if number > MAX_STORED_CATALOG_PAGES:
        return None
    stored = STORE.get(("catalog", number), stamp, lambda: store(render_page(number).content))
    return stored_response(request, stored, content_type=HTML)


def stored_json(
    request: HttpRequest,
    slug: str,
    render_body: Callable[[], bytes],
    *,
    cache_control: str,
) -> HttpResponse | None:
    """The API's document of a published roadmap for anonymous callers, None when `slug` is
    not published (drafts are for editors, who get the rendered answer)."""
    stamp = roadmap_stamp(slug)
    if stamp is None:
        return None
    stored = STORE.get(("api-roadmap", slug), stamp, lambda: store(render_body()))
    return stored_response(
        request,
        stored,
        content_type="application/json; charset=utf-8",
        cache_control=cache_control,
        last_modified=stamp[2],
    )


def stored_content_applies(request: HttpRequest, roadmap: Roadmap) -> bool:
    """Learners read published roadmaps as everyone does; editors may see more (drafts, links
    the checker found broken), so their pages are rendered whole."""
    user = getattr(request, "user", None)
    return roadmap.status == Roadmap.Status.PUBLISHED and not getattr(user, "is_staff", False)


def stored_content(request: HttpRequest, roadmap: Roadmap, context: dict[str, object]) -> str:
    """The page's main content for learners, once per content version and preferred resource
    language (it orders every resource list), with markers where the learner's parts go
    (filled by the progress app's `progress_fill`)."""
    language = str(context.get("preferred_language", ""))

    def build() -> StoredBody:
        tree = roadmap_tree(roadmap=roadmap, user=request.user, preferred_language=language)
        html = render_to_string(
            "roadmaps/_content.html",
            {**context, "tree": tree, "placeholders": True},
            request=request,
        )
        return store(html.encode())

    stamp = (roadmap.pk, roadmap.content_version)
    return STORE.get(("roadmap-content", roadmap.slug, language), stamp, build).plain().decode()
