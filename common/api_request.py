"""What API handlers know about the request they serve, for every app's router.

ninja sets `request.auth` to what the operation's auth callables returned (always a user object
on this API: `accounts.api_auth` ends the public list with an anonymous fallback), and the auth
callables record `api_client_id` for throttling. `ApiRequest` names both for type checkers; at
run time handlers still receive Django's HttpRequest.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

# OpenAPI: ninja lists the token and session schemes; an extra empty requirement (merged into
# that list through openapi_extra) marks them as optional. Public operations say so with
# `openapi_extra={"security": PUBLIC_SECURITY}`.
PUBLIC_SECURITY: list[dict[str, list[str]]] = [{}]


class ApiRequest(HttpRequest):
    """An HttpRequest as an API handler receives it (typing only, see the module docstring)."""

    auth: Any
    api_client_id: str


def api_user(request: HttpRequest) -> Any:
    """The authenticated user of this API request, or AnonymousUser."""
    return getattr(request, "auth", None) or AnonymousUser()
