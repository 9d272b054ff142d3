"""Who is calling the API: a personal token, the Django session, or nobody.

Operations list these callables as ninja `auth`; ninja tries them in order and keeps the first
truthy result as `request.auth`:

- `BearerTokenAuth`: `Authorization: Bearer rmf_...`. A token that is presented but unknown or
  revoked is answered 401 at once, even on public endpoints, instead of silently falling back to
  anonymous access: a client with a broken token should learn it, and a stream of made-up tokens
  must not buy a fresh throttle bucket each. Failed tokens are counted per address
  (`API_THROTTLE_FAILED_AUTH_RATE`); past the limit the address gets 429 without a lookup.
- `SessionAuth`: the browser's Django session. CSRF is checked for unsafe methods only, and only
  once we know the session belongs to a signed-in user, so an anonymous POST is a plain 401.
- `anonymous`: the public endpoints' last resort, so `request.auth` is always a user object.

`PUBLIC_AUTH` is the API's default (`roadmapfinder.api`), so public routers need not import this
module: `roadmaps` depends on neither accounts nor progress. Learner routers set `LEARNER_AUTH`
and type their handlers' request as `LearnerRequest`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from accounts.models import User
from accounts.services import api_token_authenticate
from common.api_request import ApiRequest
from common.api_throttle import client_ip
from common.ratelimit import failure_record, failures_wait

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LearnerRequest(ApiRequest):
    """The request of an operation behind LEARNER_AUTH: `auth` is the signed-in learner."""

    auth: User


class InvalidTokenError(AuthenticationError):
    def __init__(self) -> None:
        super().__init__(401, "Invalid or revoked API token.")


class BearerTokenAuth(HttpBearer):
    """A personal API token created on the account page."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            # No header, or another scheme (e.g. Basic added by a proxy): not ours to judge.
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # Guessing tokens costs a query each and runs before throttling: failures are counted
        # per address, and an address that used them up is refused before the lookup.
        address = client_ip(request)
        rate = settings.API_THROTTLE_FAILED_AUTH_RATE
        wait = failures_wait("api-token", address, rate)
        if wait is not None:
            raise Throttled(wait=math.ceil(wait))
        # NUL cannot reach PostgreSQL (it refuses such strings); no real token contains one.
        user = api_token_authenticate(raw=token) if token and "\x00" not in token else None
        if user is None:
            failure_record("api-token", address, rate)
            raise InvalidTokenError()
        # Throttling counts per token, not per user: a leaked token can be rate-limited (and
        # revoked) without starving the learner's other clients. Only a digest is kept.
        client_id = "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]
        cast(ApiRequest, request).api_client_id = client_id
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (CSRF token required for writes)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # csrf=True tells ninja's Swagger page to send the CSRF header; the check itself is done
        # below, after we know there is a signed-in user.
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(
                403,
                "CSRF check failed: send the value of the csrftoken cookie in the X-CSRFToken "
                "header, or use a Bearer token.",
            )
        cast(ApiRequest, request).api_client_id = f"user:{user.pk}"
        return user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Public endpoints accept callers without credentials."""
    return AnonymousUser()


bearer_token_auth = BearerTokenAuth()
session_auth = SessionAuth()

# Learner endpoints: a token or a session, else 401.
LEARNER_AUTH: list[Callable[[HttpRequest], Any]] = [bearer_token_auth, session_auth]
# Public endpoints: credentials are optional (editors see drafts), but wrong ones are refused.
PUBLIC_AUTH: list[Callable[[HttpRequest], Any]] = [bearer_token_auth, session_auth, anonymous]
