"""How the API writes JSON: compact UTF-8, datetimes in full precision ending in "Z", and
HTTP caching (ETag, Last-Modified, 304) for the answers a handler renders itself.

ninja's default encoder (Django's) cuts datetimes to milliseconds while pydantic keeps
microseconds; the roadmap endpoints render through pydantic and cache the bytes, so every
endpoint uses this one encoder to keep `updated_at` identical wherever it appears.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from common.api_request import api_user


class ApiJSONEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def api_json_dumps(data: Any) -> str:
    return json.dumps(data, cls=ApiJSONEncoder, ensure_ascii=False, separators=(",", ":"))


class ApiJSONRenderer(JSONRenderer):
    def render(self, request: Any, data: Any, *, response_status: int) -> Any:
        return api_json_dumps(data)


def render_json(data: Any) -> bytes:
    return api_json_dumps(data).encode()


def json_response(
    request: HttpRequest, body: bytes, *, last_modified: datetime | None = None
) -> HttpResponse:
    """A JSON answer with a content ETag, answering If-None-Match / If-Modified-Since with 304.

    Anonymous answers may be stored by shared caches; answers to signed-in callers (editors see
    drafts and broken links) are private.
    """
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    modified = last_modified.timestamp() if last_modified else None
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(modified)
    if api_user(request).is_authenticated:
        response["Cache-Control"] = "private, no-cache"
    else:
        response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
    patch_vary_headers(response, ["Authorization", "Cookie"])
    # Returns `response` itself, or a 304 carrying its ETag, Last-Modified, Cache-Control, Vary.
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(modified) if modified else None, response=response
    )
    return conditional or response
