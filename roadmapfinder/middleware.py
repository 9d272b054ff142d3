"""Request-wide rules that no single view should have to remember."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

from roadmapfinder.api_errors import API_PREFIX


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
