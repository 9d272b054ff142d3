"""The public JSON API, version 1. Each app contributes a ninja Router from its `api.py`.

Cross-cutting rules: who is calling (`accounts.api_auth`; public by default), how often they may
(`api_throttle` beside this module), the one error shape and the JSON rendering
(`common.api_errors`, `common.api_render`). The apps' routers import only `common` and their own
app, never this package, so package dependencies point one way: this module mounts the apps.
CORS for the public endpoints is a middleware (`roadmapfinder.cors`).
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Schema, Status, Swagger

from accounts.api import router as accounts_router
from accounts.api_auth import PUBLIC_AUTH
from common.api_errors import ErrorOut, install_exception_handlers
from common.api_render import ApiJSONRenderer
from common.api_request import PUBLIC_SECURITY
from common.api_throttle import ApiRateThrottle, rate_parse
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
naming the `field`. Throttled requests get 429 with a `Retry-After` header (seconds).

**Caching.** Roadmap answers carry `ETag` and `Last-Modified`; send them back as `If-None-Match`
/ `If-Modified-Since` to get `304 Not Modified`.
"""

api = NinjaAPI(
    title="Roadmapfinder API",
    version="1.0.0",
    urls_namespace="api-v1",
    description=API_DESCRIPTION,
    # Served from our static files (ninja's bundled Swagger UI): no CDN, works offline. The
    # validator badge would call validator.swagger.io, so it is switched off.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
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
