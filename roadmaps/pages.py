"""The roadmap page as stored bytes: rendered once per content version, served compressed.

A visitor with no session and no pending messages sees exactly what every such visitor sees,
except the CSRF token of the page's one form, which is the page's last element. So that page is
rendered once per `Roadmap.content_version` (every content write bumps it) with a placeholder
for the token, kept by `common.stored` with its gzip form, and each request adds only its own
token: one indexed query for the version, no template, no tree. Everyone else (learners with
progress or a session, editors, drafts) gets the rendered page (`roadmaps.views`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from common.stored import STORE, StoredBody, store, stored_response
from roadmaps.models import Roadmap

TOKEN_PLACEHOLDER = "csrf-token-placeholder-9c41e7"  # noqa: S105 - replaced per request
HTML = "text/html; charset=utf-8"
# django.contrib.messages' cookie storage keeps pending messages under this name.
MESSAGES_COOKIE = "messages"


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
    stamp = (
        Roadmap.objects.published().filter(slug=slug).values_list("pk", "content_version").first()
    )
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
