"""gzip for dynamic answers that carry no secret.

BREACH recovers a secret from the size of compressed answers that also reflect text an
attacker chose (a search query, a path). Our secret on pages is the CSRF token, and Django
records on the request when a page used it (get_token sets `CSRF_COOKIE_NEEDS_UPDATE`; the CSRF
middleware turns it False after setting the cookie, but the key stays): such answers are sent
uncompressed. Everything else (search results, catalogs, API JSON, 404 pages)
is compressed when the client accepts gzip. Stored answers (common.stored) arrive compressed
already, with the token compressed apart from the page, and are left alone.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from common.stored import accepts_gzip

MIN_BYTES = 512  # below this, the gzip header and a round of CPU buy nothing
LEVEL = 6
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml")


def gzip_bytes(body: bytes) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)
    return compressor.compress(body) + compressor.flush()


class GzipDynamicMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming or response.has_header("Content-Encoding"):
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        patch_vary_headers(response, ["Accept-Encoding"])
        if "CSRF_COOKIE_NEEDS_UPDATE" in request.META:  # carries the CSRF token: see above
            return response
        if len(response.content) < MIN_BYTES or not accepts_gzip(request):
            return response
        response.content = gzip_bytes(response.content)
        response["Content-Encoding"] = "gzip"
        if response.has_header("Content-Length"):  # set by CommonMiddleware for the plain body
            response["Content-Length"] = str(len(response.content))
        if response.has_header("ETag"):  # a different representation: a different validator
            etag = response["ETag"]
            response["ETag"] = etag[:-1] + '-gzip"' if etag.endswith('"') else etag
        return response
