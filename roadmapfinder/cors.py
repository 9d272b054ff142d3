"""Cross-origin access to the public part of the API, and nothing else.

Public reads (roadmaps, search, the schema) are open data: any web page may fetch them, so
their GET answers carry `Access-Control-Allow-Origin`. Credentialed endpoints (`/api/v1/me...`)
and every write get no CORS headers at all, so browsers refuse to let another site read them;
we never send `Access-Control-Allow-Credentials`, and `Authorization` is not an allowed request
header, so no cross-origin page can use a visitor's session or token.

`API_CORS_ALLOWED_ORIGINS` is `*` (any site) by default, or a comma-separated list of origins.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/v1/"
PRIVATE_PREFIXES = ("/api/v1/me",)
READ_METHODS = frozenset({"GET", "HEAD"})
ALLOWED_REQUEST_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since"
# A script on another site can read its own rate budget (the API sends RateLimit-* on every read).
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Retry-After, Cache-Control, RateLimit-Limit, RateLimit-Remaining, "
    "RateLimit-Reset"
)


def is_public_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX) and not path.startswith(PRIVATE_PREFIXES)


class ApiCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _allowed_origin(self, origin: str) -> str | None:
        allowed = settings.API_CORS_ALLOWED_ORIGINS
        if "*" in allowed:
            return "*"
        return origin if origin in allowed else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = request.headers.get("Origin")
        public = is_public_api_path(request.path)
        if (
            origin
            and public
            and request.method == "OPTIONS"
            and "Access-Control-Request-Method" in request.headers
        ):
            return self._preflight(request, origin)
        response = self.get_response(request)
        if origin and public and request.method in READ_METHODS:
            allow = self._allowed_origin(origin)
            if allow:
                response["Access-Control-Allow-Origin"] = allow
                response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
                if allow != "*":
                    patch_vary_headers(response, ["Origin"])
        return response

    def _preflight(self, request: HttpRequest, origin: str) -> HttpResponse:
        response = HttpResponse(status=204)
        allow = self._allowed_origin(origin)
        requested = request.headers.get("Access-Control-Request-Method", "").upper()
        if allow and requested in READ_METHODS:
            response["Access-Control-Allow-Origin"] = allow
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
            response["Access-Control-Max-Age"] = str(settings.API_CORS_MAX_AGE)
            if allow != "*":
                patch_vary_headers(response, ["Origin"])
        return response
