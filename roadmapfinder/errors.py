"""Django's last-resort answer (`handler500`), told apart by what failed.

A request that fails because the database is unreachable (restarted, connections killed, a
failover) is not a bug: the visitor gets a short "try again" page, or the API's JSON error shape
under /api/, with status 503 and Retry-After. Any other crash keeps the plain 500 page.

This is the handler500 rather than a middleware's `process_exception` because the database is
also used outside views (the session and the signed-in user are loaded and saved by middleware);
Django calls this handler for an exception raised anywhere in the request, inside the `except`
block, so `sys.exc_info()` names the cause.

After the outage nothing needs restarting: with CONN_HEALTH_CHECKS a persistent connection is
tested before a request uses it and replaced when it died (settings.py).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error

from common.api_errors import API_PREFIX

RETRY_AFTER_SECONDS = 10
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from, says the database cannot be reached."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


@requires_csrf_token
def server_error_view(request: HttpRequest) -> HttpResponse:
    if not database_unavailable(sys.exc_info()[1]):
        return server_error(request)
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"detail": "The service is briefly unavailable: try again in a few seconds."},
            status=503,
        )
    else:
        # Standalone template rendered without a request: it must not touch the database.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
