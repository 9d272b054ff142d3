"""The public JSON API, version 1. Each app contributes a ninja Router from its `api.py`.

Cross-cutting rules: who is calling (`accounts.api_auth`; public by default), how often they may
(`api_throttle` beside this module), the one error shape and the JSON rendering
(`common.api_errors`, `common.api_render`). The apps' routers import only `common` and their own
app, never this package, so package dependencies point one way: this module mounts the apps.
CORS for the public endpoints is a middleware (`roadmapfinder.cors`).

`RoadmapfinderAPI` adds what every route shares and ninja does not do: HEAD on GET routes
(`common.api_head`), the RateLimit-* headers from what the throttle counted, and operation ids
that read well as function names in generated clients.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver
from ninja import Field, NinjaAPI, Schema, Status, Swagger
from ninja.operation import Operation

from accounts.api import router as accounts_router
from accounts.api_auth import PUBLIC_AUTH
from common.api_errors import ErrorOut, install_exception_handlers
from common.api_head import head_as_get
from common.api_render import ApiJSONRenderer
from common.api_request import PUBLIC_SECURITY, rate_limit_headers
from common.api_throttle import ApiRateThrottle, rate_parse
from courses.api import router as courses_router
from progress.api import router as progress_router
from roadmapfinder.health import health_report
from roadmaps.api import router as roadmaps_router

API_DESCRIPTION = """\
Industry-ready learning roadmaps as JSON: public roadmaps and search for any client, and the
signed-in learner's progress.

**Authentication.** Public endpoints need none. `/me` endpoints accept the site's session
cookie (send the `csrftoken` cookie's value as `X-CSRFToken` on writes) or a personal token from
your account page as `Authorization: Bearer <token>`. A presented token that is unknown or
revoked is answered 401 on every endpoint.

**Errors** are always `{"detail": "<message>"}`; invalid input (422) also lists `errors`, each
naming the `field`.

**Rate limits.** Every answer of a throttled endpoint tells the caller's budget in
`RateLimit-Limit` (requests per window), `RateLimit-Remaining` (left in this window) and
`RateLimit-Reset` (seconds until the window ends). Over the limit the answer is 429 with
`Retry-After` (seconds).

**Lists** (`items`, `count`) carry `next` and `previous`: absolute URLs of the neighbouring
pages with the same query parameters, null at the ends. Every link in a payload is absolute.

**HEAD** works on every GET route: the same status and headers, without the body.

**Caching.** Roadmap answers carry `ETag` and `Last-Modified`; send them back as `If-None-Match`
/ `If-Modified-Since` to get `304 Not Modified`.
"""


def with_rate_limit_headers(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """`view` with the RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) on answers
    the throttle counted, 429 included."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        rate_limit_headers(request, response)
        return response

    return answer


class RoadmapfinderAPI(NinjaAPI):
    """ninja's API plus HEAD, rate-limit headers and short operation ids (module docstring)."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The handler's name ("roadmap_list", "progress_set"), unique across the API (a test
        # checks): generated clients name their functions after it. ninja's default prefixes
        # the module path ("roadmaps_api_roadmap_list").
        return operation.view_func.__name__

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = head_as_get(with_rate_limit_headers(pattern.callback))
        return patterns, app_name, namespace


class SiteSwagger(Swagger):
    """ninja's Swagger UI inside the site's layout (header, theme, a link to token settings):
    templates/api/docs.html with static/js/api-docs.js, no inline script for the CSP."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        openapi_url = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps({**self.settings, "url": openapi_url}, indent=1),
            "openapi_url": openapi_url,
            # "Try it out" with the session (a signed-in learner) needs the CSRF token on writes.
            "add_csrf": True,
        }
        return render(request, self.template, context)


api = RoadmapfinderAPI(
    title="Roadmapfinder API",
    version="1.1.0",
    urls_namespace="api-v1",
    description=API_DESCRIPTION,
    # Served from our static files (ninja's bundled Swagger UI): no CDN, works offline. The
    # validator badge would call validator.swagger.io, so it is switched off.
    docs=SiteSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    renderer=ApiJSONRenderer(),
    auth=PUBLIC_AUTH,
    throttle=[ApiRateThrottle()],
)
install_exception_handlers(api)

# Fail at start-up, not on the first request, when a rate in the environment is malformed.
rate_parse(settings.API_THROTTLE_ANON_RATE)
rate_parse(settings.API_THROTTLE_USER_RATE)
rate_parse(settings.API_THROTTLE_FAILED_AUTH_RATE)


class HealthChecksOut(Schema):
    """Each service the site uses, as the health check found it."""

    database: Literal["ok", "unavailable"] = Field(
        description="PostgreSQL (SQLite in the embedded default).", examples=["ok"]
    )
    cache: Literal["ok", "unavailable"] = Field(description="Redis as the cache.", examples=["ok"])
    broker: Literal["ok", "unavailable", "not used"] = Field(
        description="Redis as the Celery broker; `not used` when tasks run in-process.",
        examples=["ok"],
    )


class HealthOut(Schema):
    """The application answers; `degraded` says it works without the cache or broker."""

    status: Literal["ok", "degraded"] = Field(
        description="`degraded`: the cache or the broker does not answer; pages and the API "
        "still work (slower, rate limits not enforced, link checks wait).",
        examples=["ok"],
    )
    checks: HealthChecksOut


class HealthErrorOut(ErrorOut):
    """The database does not answer: nothing can be served."""

    status: Literal["unavailable"] = Field(examples=["unavailable"])
    checks: HealthChecksOut


@api.get(
    "/health",
    tags=["meta"],
    summary="Health check",
    response={200: HealthOut, 401: ErrorOut, 429: ErrorOut, 503: HealthErrorOut},
    openapi_extra={"security": PUBLIC_SECURITY},
)
def health(request: HttpRequest) -> Status[dict[str, object]]:
    """Which services answer: 200 while pages can be served (`status` is `degraded` when the
    cache or broker is down), 503 when the database does not answer."""
    return Status(*health_report())


api.add_router("", roadmaps_router)
api.add_router("", accounts_router)
api.add_router("", progress_router)
api.add_router("", courses_router)
