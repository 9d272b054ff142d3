"""Large prepared parts put into a rendered page after its template ran.

A learner's roadmap page is mostly stored content with their marks filled in (1.7 MB on a
2,000-item roadmap). Returned from a template tag, that text was copied at every level of the
template (each block and include joins its children, `mark_safe` copies again) and once more
when encoded: most of the page's CPU went to copying it. Instead the tag leaves a short
placeholder (`splice_later`) and `SpliceMiddleware` puts the parts, already bytes, into the
rendered answer with one join (`splice`), whichever view rendered the tag.

The placeholder carries 64 random bits, so no text in the page (a title, a search query) can
match it by accident or by design.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe

ATTRIBUTE = "_spliced_parts"


def splice_later(request: HttpRequest, parts: list[bytes]) -> SafeString:
    """A placeholder for `parts`, to render where they go; `splice` puts them there."""
    placeholder = f"<!--splice:{secrets.token_hex(8)}-->"
    request.__dict__.setdefault(ATTRIBUTE, {})[placeholder.encode()] = parts
    return mark_safe(placeholder)  # our own comment, no user text


def splice(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """`response` with every placeholder made on `request` replaced by its parts."""
    pending: dict[bytes, list[bytes]] = request.__dict__.pop(ATTRIBUTE, {})
    if not pending:
        return response
    body = response.content
    for placeholder, parts in pending.items():
        head, found, tail = body.partition(placeholder)
        if not found:
            raise ValueError("A spliced part's placeholder is not in the rendered page.")
        body = b"".join([head, *parts, tail])
    response.content = body
    if response.has_header("Content-Length"):  # set by CommonMiddleware for the placeholder
        response["Content-Length"] = str(len(body))
    return response


class SpliceMiddleware:
    """Splices every answer whose rendering left parts (inside the gzip middleware, which must
    see the whole body)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if ATTRIBUTE in request.__dict__ and not response.streaming:
            return splice(request, response)
        return response
