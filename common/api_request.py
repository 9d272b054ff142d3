"""What API handlers know about the request they serve, for every app's router.

ninja sets `request.auth` to what the operation's auth callables returned (always a user object
on this API: `accounts.api_auth` ends the public list with an anonymous fallback), the auth
callables record `api_client_id` for throttling, and the throttle records `api_rate_limit` for
the RateLimit-* headers. `ApiRequest` names them for type checkers; at run time handlers still
receive Django's HttpRequest.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple, cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase
from django.utils.http import http_date

# OpenAPI: ninja lists the token and session schemes; an extra empty requirement (merged into
# that list through openapi_extra) marks them as optional. Public operations say so with
# `openapi_extra={"security": PUBLIC_SECURITY}`.
PUBLIC_SECURITY: list[dict[str, list[str]]] = [{}]


class RateLimit(NamedTuple):
    """The caller's budget after this request, as the RateLimit-* headers tell it."""

    limit: int  # requests allowed per window
    remaining: int  # requests left in the current window
    reset: int  # whole seconds until the window ends


class ApiRequest(HttpRequest):
    """An HttpRequest as an API handler receives it (typing only, see the module docstring)."""

    auth: Any
    api_client_id: str
    api_rate_limit: RateLimit


def rate_limit_record(request: HttpRequest, *, limit: int, used: int, reset: float) -> None:
    """Note what a throttle counted for this request (`used` includes the request itself)."""
    cast(ApiRequest, request).api_rate_limit = RateLimit(
        limit=limit, remaining=max(limit - used, 0), reset=max(math.ceil(reset), 1)
    )


def rate_limit_of(request: HttpRequest) -> RateLimit | None:
    """What the throttle recorded for this request; None when no throttle ran (a request refused
    before throttling, for example for a bad token, or an endpoint that is not throttled)."""
    return getattr(request, "api_rate_limit", None)


def rate_limit_headers(request: HttpRequest, response: HttpResponseBase) -> None:
    """The RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) of what the throttle
    counted for this request, if it ran."""
    rate_limit = rate_limit_of(request)
    if rate_limit is not None:
        response["RateLimit-Limit"] = str(rate_limit.limit)
        response["RateLimit-Remaining"] = str(rate_limit.remaining)
        response["RateLimit-Reset"] = str(rate_limit.reset)


def api_user(request: HttpRequest) -> Any:
    """The authenticated user of this API request, or AnonymousUser."""
    return getattr(request, "auth", None) or AnonymousUser()


# What django.views.decorators.cache.never_cache leaves on an answer without Cache-Control.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def never_cached(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """`never_cache` for the learners' routers, with its headers written out: Django's parses
    and rebuilds Cache-Control with regular expressions on every answer (~40 us of a ~0.4 ms
    `/me/progress` call). Whatever the view set is replaced: these answers are personal, and
    no directive of theirs may let a cache keep them."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = NEVER_CACHE
        if not response.has_header("Expires"):
            response["Expires"] = http_date()
        return response

    return answer
