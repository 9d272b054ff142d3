"""Request-wide rules that no single view should have to remember."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

from common.api_errors import API_PREFIX


class NulByteMiddleware:
    """A NUL byte in the path answers 404, in the query string 400, before any view runs.

    No slug, username or filter value contains NUL, and PostgreSQL refuses such strings outright
    (DataError, a 500) wherever a view passes them to a query: `/u/%00/`, a badge URL, an admin
    changelist filter. One check here covers every view, present and future; forms already refuse
    NUL themselves (Django's ProhibitNullCharactersValidator). The API is left to its schemas,
    which answer 422 naming the offending parameter.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            if "\x00" in request.path:
                raise Http404("No page has a NUL byte in its address.")
            if any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
                raise BadRequest("NUL byte in the query string.")
        return self.get_response(request)


def _query_items(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]


def content_security_policy(*, form_origins: list[str]) -> str:
    """The site's policy: everything from our own origin, nothing inline, no frames.

    Sign-in forms post to us and we redirect to GitHub or Google; browsers apply form-action to
    that redirect, so the providers' origins are allowed as form targets.
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *form_origins],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer.

    Django's SecurityMiddleware already sends Referrer-Policy (SECURE_REFERRER_POLICY),
    X-Content-Type-Options and Cross-Origin-Opener-Policy. A view that needs another policy sets
    its own Content-Security-Policy header; this one is added only where none is set.
    """

    PERMISSIONS_POLICY = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer",
            "microphone", "payment", "usb", "browsing-topics",
        )
    )  # fmt: skip

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        providers = settings.SOCIALACCOUNT_PROVIDERS
        candidates: list[str] = [
            str(providers["github"].get("GITHUB_URL") or "https://github.com"),
            str(providers["google"].get("AUTHORIZE_URL") or "https://accounts.google.com"),
        ]
        origins = [origin for origin in map(_origin, candidates) if origin]
        self.policy = content_security_policy(form_origins=sorted(set(origins)))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.PERMISSIONS_POLICY
        return response
