"""Stored answers served early: before sessions, authentication, messages and the URL resolver.

A plain visitor (no session cookie, no messages cookie, no Authorization header) asking with
GET and no query string for a roadmap page, the API's roadmap document or the catalog can only
get the stored answer (`roadmaps.pages`). Once a view has stored it, this middleware serves it
for the same content stamp without running the rest of the stack: sessions would find no
session, authentication an anonymous user, messages nothing to show, so they are skipped; what
they and the view would add to the answer is added here, with Django's own code:

- the CSRF cookie and `Vary: Cookie` (the page's token: `CsrfViewMiddleware`, as the view's
  `get_token` would have it set), `X-Frame-Options` (`XFrameOptionsMiddleware`) and
  `Content-Length` (as `CommonMiddleware`);
- the API document is counted by the throttle like any anonymous API answer (one round trip)
  and carries the RateLimit-* headers; a caller over its budget goes the normal way (429);
- the stamp is read from this process's memory while PostgreSQL reports no write to the
  roadmaps table (`common.row_watch`), else with the one database query (which doubles as
  the connection's health check).

The middlewares outside this one (request log, security headers, whitenoise, CORS, the API's
error shape, NUL bytes) run as for any answer. Anything else (HEAD, a query string, an answer
not stored yet or stored for an older stamp, an unknown slug) goes through the whole stack,
whose view renders and stores the answer; so this module never renders and never decides what
a page contains.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import patch_vary_headers

from common.api_request import rate_limit_headers
from common.api_throttle import anonymous_client, throttle_count
from common.stored import STORE, stored_response
from roadmaps.pages import (
    HTML,
    JSON,
    api_cache_control,
    api_document_key,
    catalog_page_key,
    catalog_stamp,
    is_plain_visitor,
    page_response,
    roadmap_page_key,
    roadmap_stamp,
)

PAGE = re.compile(r"/roadmaps/([-a-zA-Z0-9_]{1,80})/")
DOCUMENT = re.compile(r"/api/v1/roadmaps/([-a-zA-Z0-9_]{1,80})")


def _unused(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    raise AssertionError("Django's middlewares are used here for their response hooks only.")


class StoredAnswerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(_unused)
        self.frame_options = XFrameOptionsMiddleware(_unused)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = None
        if (
            request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and "HTTP_AUTHORIZATION" not in request.META
            and is_plain_visitor(request)
        ):
            response = self.stored(request)
        return response if response is not None else self.get_response(request)

    def stored(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if path == "/":
            response = self.catalog(request)
        elif match := PAGE.fullmatch(path):
            response = self.page(request, match.group(1))
        elif match := DOCUMENT.fullmatch(path):
            response = self.document(request, match.group(1))
        else:
            return None
        if response is None:
            return None
        if not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        self.frame_options.process_response(request, response)  # the header on `response`
        return response

    def page(self, request: HttpRequest, slug: str) -> HttpResponse | None:
        stamp = roadmap_stamp(request, slug)
        stored = STORE.peek(roadmap_page_key(slug), stamp) if stamp else None
        if stored is None:
            return None
        # As the view: the visitor's token in the page, and the cookie it belongs to.
        self.csrf.process_request(request)
        response = page_response(request, stored)
        self.csrf.process_response(request, response)  # sets the cookie on `response` itself
        return response

    def document(self, request: HttpRequest, slug: str) -> HttpResponse | None:
        stamp = roadmap_stamp(request, slug)
        stored = STORE.peek(api_document_key(slug), stamp) if stamp else None
        if stamp is None or stored is None:
            return None
        allowed, _ = throttle_count(
            request, client_id=anonymous_client(request), rate=settings.API_THROTTLE_ANON_RATE
        )
        if not allowed:
            return None  # the API answers 429 in its own shape
        response = stored_response(
            request,
            stored,
            content_type=JSON,
            cache_control=api_cache_control(),
            last_modified=stamp[2],
        )
        patch_vary_headers(response, ["Authorization", "Cookie"])
        rate_limit_headers(request, response)
        return response

    def catalog(self, request: HttpRequest) -> HttpResponse | None:
        stored = STORE.peek(catalog_page_key(1), catalog_stamp(request))  # no query string: page 1
        return stored_response(request, stored, content_type=HTML) if stored else None
