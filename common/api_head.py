"""`HEAD` on every `GET` route of the API: the GET answer's status and headers, without a body.

ninja dispatches on the exact method, so a route that declares only GET answers HEAD with 405.
Django's own class-based views answer HEAD with their GET handler (`View.setup`); this does the
same for the API's URL patterns, one wrapper per pattern instead of a second operation per route
(a `head` operation would also appear in the OpenAPI document and in every generated client).

The body is dropped here rather than left to the server: Django's development server, gunicorn
and the test client strip it, but not every WSGI server does. `Content-Length` stays the length
the GET answer has, as RFC 9110 (9.3.2) allows, so HEAD tells a client how big the answer is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase


def head_as_get(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """`view` answering HEAD like GET (minus the body), and listing HEAD wherever a 405 lists
    GET."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "HEAD":
            return allow_head(view(request, *args, **kwargs))
        # The view (ninja's PathView) picks its operation by request.method; put HEAD back
        # afterwards for the middleware and the server, which strip bodies of HEAD answers too.
        request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"
        if response.status_code == 405:  # the route has no GET either
            return allow_head(response)
        if not response.streaming:
            response["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
            response.content = b""  # type: ignore[attr-defined]
        return response

    return answer


def allow_head(response: HttpResponseBase) -> HttpResponseBase:
    """A 405 whose `Allow` lists GET also lists HEAD."""
    if response.status_code == 405 and response.has_header("Allow"):
        methods = {method.strip() for method in response["Allow"].split(",") if method.strip()}
        if "GET" in methods:
            methods.add("HEAD")
        response["Allow"] = ", ".join(sorted(methods))
    return response
