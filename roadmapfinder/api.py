"""The public JSON API, version 1. Each app contributes a ninja Router from its `api.py`.

Cross-cutting rules: who is calling (`accounts.api_auth`; public by default), how often they may
(`api_throttle` beside this module), the one error shape and the JSON rendering
(`common.api_errors`, `common.api_render`). The apps' routers import only `common` and their own
app, never this package, so package dependencies point one way: this module mounts the apps.
CORS for the public endpoints is a middleware (`roadmapfinder.cors`).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Schema, Swagger

from accounts.api import router as accounts_router
from accounts.api_auth import PUBLIC_AUTH
from common.api_errors import ErrorOut, install_exception_handlers
from common.api_render import ApiJSONRenderer
from common.api_request import PUBLIC_SECURITY
from courses.api import router as courses_router
from progress.api import router as progress_router
from roadmapfinder.api_throttle import ApiRateThrottle, rate_parse
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


class HealthOut(Schema):
    """The application answers."""

    status: str = Field(description="Always `ok`.", examples=["ok"])


@api.get(
    "/health",
    tags=["meta"],
    summary="Liveness check",
    response={200: HealthOut, 401: ErrorOut, 429: ErrorOut},
    openapi_extra={"security": PUBLIC_SECURITY},
)
def health(request: HttpRequest) -> dict[str, str]:
    """Answers `{"status": "ok"}` when the application is up."""
    return {"status": "ok"}


api.add_router("", roadmaps_router)
api.add_router("", accounts_router)
api.add_router("", progress_router)
api.add_router("", courses_router)
