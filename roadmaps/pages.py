"""Stored pages: the roadmap page, the catalog and the API's roadmap document, rendered once
per content stamp and served compressed (`common.stored`).

A visitor with no session and no pending messages sees exactly what every such visitor sees,
except the CSRF token of the page's one form, which is the page's last element. So that page is
rendered once per `Roadmap.content_version` (every content write bumps it) with a placeholder
for the token, kept by `common.stored` with its gzip form, and each request adds only its own
token: the version (kept per process while nothing writes the roadmaps table:
`common.row_watch`, else one indexed query), no template, no tree. Everyone else (learners with
progress or a session, editors, drafts) gets the rendered page (`roadmaps.views`).

The catalog changes when any roadmap does: its stamp is one aggregate over the roadmaps table
(every content write and every status change moves `updated_at` and `content_version`). Stamps
are read with one short SQL statement each: through the ORM the same lookup cost four times as
much CPU per request (README "Performance").
"""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string

from common.csrf_token import page_token, token_validator
from common.model_rows import rows
from common.pager import page_count, page_number
from common.row_watch import WATCH
from common.splice import splice
from common.stored import STORE, Store, StoredBody, store, stored_response
from roadmaps.models import Roadmap
from roadmaps.querysets import CATALOG_PAGE_SIZE
from roadmaps.tree import roadmap_tree

TOKEN_PLACEHOLDER = "csrf-token-placeholder-9c41e7"  # noqa: S105 - replaced per request
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"
# django.contrib.messages' cookie storage keeps pending messages under this name.
MESSAGES_COOKIE = "messages"
# Catalog pages kept per stamp: the first pages are what visitors read; further pages are
# rendered per request rather than crowding out roadmap pages in the shared store.
MAX_STORED_CATALOG_PAGES = 10


def _one_row(sql: str, params: list[str]) -> tuple | None:
    """One row of a stamp query (which doubles as the connection's health check)."""
    found = rows(sql, params)
    return found[0] if found else None


STAMPS_ATTRIBUTE = "_stored_stamps"


def _per_request(request: HttpRequest, key: str, read: Callable[[], tuple | None]) -> tuple | None:
    """A stamp read once per request: the early path (roadmaps.early) and the view that stores
    the answer when the early path had none ask for the same stamp."""
    stamps: dict[str, tuple | None] = request.__dict__.setdefault(STAMPS_ATTRIBUTE, {})
    if key not in stamps:
        stamps[key] = read()
    return stamps[key]


def roadmap_stamp(request: HttpRequest, slug: str) -> tuple | None:
    """(id, content_version, updated_at) of the published roadmap `slug`, None if none."""
    return _per_request(request, "roadmap:" + slug, lambda: _roadmap_stamp(slug))


def catalog_stamp(request: HttpRequest | None = None) -> tuple | None:
    """Moves whenever a roadmap's content or status changes (both bump the roadmap). Read once
    per request when there is one; callers outside a request read it each time."""
    if request is None:
        return _catalog_stamp()
    return _per_request(request, "catalog", _catalog_stamp)


def _roadmap_stamp(slug: str) -> tuple | None:
    return WATCH.read("stamps", "roadmap:" + slug, lambda: _roadmap_row(slug))


def _catalog_stamp() -> tuple | None:
    """Its last figure is the number of published roadmaps (the catalog's page count)."""
    return WATCH.read("stamps", "catalog", _catalog_row)


# The statements are written only when a stamp is asked for, not on every read of a kept one.
def _roadmap_row(slug: str) -> tuple | None:
    table = connection.ops.quote_name(Roadmap._meta.db_table)
    return _one_row(
        f"SELECT id, content_version, updated_at FROM {table} WHERE slug = %s AND status = %s",  # noqa: S608
        [slug, Roadmap.Status.PUBLISHED.value],
    )


def _catalog_row() -> tuple | None:
    table = connection.ops.quote_name(Roadmap._meta.db_table)
    published = Roadmap.Status.PUBLISHED.value
    return _one_row(
        f"SELECT COUNT(*), SUM(content_version), MAX(updated_at), "  # noqa: S608
        f"SUM(CASE WHEN status = %s THEN id ELSE 0 END), "
        f"SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) FROM {table}",
        [published, published],
    )


# Keys of the stored answers, one place for the views that store them and the early path
# (roadmaps.early) that serves them: a key spelled two ways would silently never be served early.
def roadmap_page_key(slug: str) -> tuple[str, str]:
    return ("roadmap-page", slug)


def catalog_page_key(number: int) -> tuple[str, int]:
    return ("catalog", number)


def api_document_key(slug: str) -> tuple[str, str]:
    return ("api-roadmap", slug)


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
    stamp = roadmap_stamp(request, slug)
    if stamp is None:
        return None

    def build() -> StoredBody:
        response = render_page({"csrf_token": TOKEN_PLACEHOLDER})
        return store(response.content, split=TOKEN_PLACEHOLDER.encode())

    return page_response(request, STORE.get(roadmap_page_key(slug), stamp, build))


def page_response(
    request: HttpRequest, stored: StoredBody, token: bytes | None = None
) -> HttpResponse:
    """A stored page with the visitor's own token (`token`, else one drawn now; the CSRF cookie
    is set by the middleware when missing), revalidated by its content and their secret."""
    return stored_response(
        request,
        stored,
        content_type=HTML,
        part=page_token(request).encode() if token is None else token,
        part_validator=token_validator(request),
        cache_control="private, no-cache",
    )


def stored_catalog_page(
    request: HttpRequest, render_page: Callable[[int], HttpResponse]
) -> HttpResponse | None:
    """A page of the unfiltered catalog for a plain visitor (it has no form with a token), else
    None. Each page number is stored on its own, the first MAX_STORED_CATALOG_PAGES of them;
    `render_page(number)` renders page `number` the usual way."""
    if set(request.GET) - {"page"} or not is_plain_visitor(request):
        return None
    stamp = catalog_stamp(request)
    last = page_count(stamp[4] or 0 if stamp else 0, CATALOG_PAGE_SIZE)
    number = page_number(request.GET.get("page"), last=last)
    if number > MAX_STORED_CATALOG_PAGES:
        return None
    stored = STORE.get(catalog_page_key(number), stamp, lambda: store(render_page(number).content))
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
    stamp = roadmap_stamp(request, slug)
    if stamp is None:
        return None
    stored = STORE.get(api_document_key(slug), stamp, lambda: store(render_body()))
    return stored_response(
        request,
        stored,
        content_type=JSON,
        cache_control=cache_control,
        last_modified=stamp[2],
    )


def api_cache_control() -> str:
    """Cache-Control of the API's anonymous roadmap document (shared caches may keep it)."""
    return f"public, max-age={settings.API_CACHE_MAX_AGE}"


def stored_content_applies(request: HttpRequest, roadmap: Roadmap) -> bool:
    """Learners read published roadmaps as everyone does; editors may see more (drafts, links
    the checker found broken), so their pages are rendered whole."""
    user = getattr(request, "user", None)
    return roadmap.status == Roadmap.Status.PUBLISHED and not getattr(user, "is_staff", False)


ROWS: Store[Roadmap] = Store()


def published_roadmap(request: HttpRequest, slug: str, *, user: object = None) -> Roadmap | None:
    """The published roadmap `slug` with its level and duration (as the page shows it) for
    anyone but editors, who may see drafts: the row is loaded once per stamp (its annotations
    cost more to build than the stamp query) and each request gets its own copy. `user` is
    who asks when it is not the session's user (an API token's)."""
    if getattr(request.user if user is None else user, "is_staff", False):
        return None
    stamp = roadmap_stamp(request, slug)
    if stamp is None:
        return None

    def load() -> Roadmap | None:
        return Roadmap.objects.published().with_level_and_duration().filter(slug=slug).first()

    row = ROWS.peek(slug, stamp) or load()
    if row is None:
        return None
    ROWS.put(slug, stamp, row)
    return copy.copy(row)


# Learners' pages are never sent compressed (they carry a CSRF token and the learner's marks),
# so their stored content is kept as text, one string per content version: the progress app
# fills its markers without decoding it again (and recognises it by identity).
CONTENTS: Store[str] = Store()


def stored_content(request: HttpRequest, roadmap: Roadmap, context: dict[str, object]) -> str:
    """The page's main content for learners, once per content version and preferred resource
    language (it orders every resource list), with markers where the learner's parts go
    (filled by the progress app's `progress_fill`)."""
    language = str(context.get("preferred_language", ""))

    def build() -> str:
        tree = roadmap_tree(roadmap=roadmap, user=request.user, preferred_language=language)
        return render_to_string(
            "roadmaps/_content.html",
            {**context, "tree": tree, "placeholders": True},
            request=request,
        )

    stamp = (roadmap.pk, roadmap.content_version)
    return CONTENTS.get((roadmap.slug, language), stamp, build)


# A learner's page is the stored content with their parts filled in (`stored_content`) inside
# the site's layout. The layout (head, header, footer) was rendered per request and cost as
# much CPU as the content's filling: it is kept too, per content version and what a learner's
# header shows of them (their name, or the sign-in link back to this page), with placeholders
# for the CSRF token and the content. The placeholders are random per process: no title, name
# or text in the page can produce them.
FRAME_TOKEN = f"frame-token-{secrets.token_hex(8)}"
FRAME_CONTENT = f"frame-content-{secrets.token_hex(8)}"
FRAME_PARTS = re.compile(f"({FRAME_TOKEN}|{FRAME_CONTENT})".encode())
FRAMES: Store[tuple[bytes, ...]] = Store(max_entries=2048)  # a frame is ~6 KB


# A signed-in learner's whole page is kept too, per (progress version, content version), with
# its gzip form: the CSRF token goes in per request as an uncompressed block between pieces
# compressed without it (common.stored), so learners get the page compressed (148 KB plain,
# ~20 KB gzip for Flask) without a BREACH oracle, and a page seen again costs a join. A mark
# moves the learner's progress version (accounts.User), an edit the content version, a new name
# or language the key. Learners without an account (marks in their session) are not kept.
LEARNER_PAGES: Store[StoredBody] = Store(max_entries=128)


def learner_page(
    request: HttpRequest, roadmap: Roadmap, context: dict[str, object]
) -> HttpResponse:
    """The roadmap page of a learner (`context` has the `stored_content`): the kept frame with
    this request's CSRF token and the learner's filled content (the progress app's
    `progress_fill`, through `roadmaps/_learner_content.html`). Pending messages are shown
    once, by the whole template."""
    if get_messages(request):
        return render(request, "roadmaps/detail.html", context)
    user = request.user
    member = None
    if user.is_authenticated:
        member = getattr(user, "display_name", "") or user.get_username()
    key = (roadmap.slug, str(context.get("preferred_language", "")), member, request.path)

    def build() -> tuple[bytes, ...]:
        frame_context = {**context, "csrf_token": FRAME_TOKEN, "frame_content": FRAME_CONTENT}
        body = render_to_string("roadmaps/detail.html", frame_context, request=request)
        return tuple(FRAME_PARTS.split(body.encode()))

    def filled(token: bytes) -> bytes:
        frame = FRAMES.get(key, (roadmap.pk, roadmap.content_version), build)
        content = get_template("roadmaps/_learner_content.html").render(
            {"request": request, "user": user, "roadmap": roadmap, **context}
        )
        parts = {FRAME_TOKEN.encode(): token, FRAME_CONTENT.encode(): content.encode()}
        body = b"".join([parts.get(piece, piece) for piece in frame])
        return splice(request, HttpResponse(body)).content  # the learner's parts in place

    token = page_token(request).encode()
    # The learner's statuses come with the user row (roadmaps does not import accounts).
    progress_version = getattr(user, "progress_version", None)
    if progress_version is None or not user.is_authenticated:
        return HttpResponse(filled(token), content_type=HTML)
    stored = LEARNER_PAGES.get(
        (user.pk, *key),
        (progress_version, roadmap.pk, roadmap.content_version),
        lambda: store(filled(FRAME_TOKEN.encode()), split=FRAME_TOKEN.encode()),
    )
    return page_response(request, stored, token)
