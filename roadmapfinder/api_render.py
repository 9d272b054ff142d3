"""How the API writes JSON: compact UTF-8, datetimes in full precision ending in "Z".

ninja's default encoder (Django's) cuts datetimes to milliseconds while pydantic keeps
microseconds; the roadmap endpoints render through pydantic and cache the bytes, so every
endpoint uses this one encoder to keep `updated_at` identical wherever it appears.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder


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
