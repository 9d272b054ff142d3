"""Counting failed attempts (API tokens, admin passwords) per address or account in the cache.

One fixed window per (scope, who), as in `api_throttle`; a rate is `<attempts>/<period>`, e.g.
`10/min`. Only failures are counted, and the limit is checked *before* the attempt is judged: once
a caller has used up its failures, even the right password or token waits for the next window.
While Redis is down the cache counts nothing and every attempt is judged (fail open, logged once
by `roadmapfinder.cache`).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from common import api_throttle
from common.api_throttle import rate_parse


def _key(scope: str, who: str, rate: str) -> tuple[str, int, float]:
    _, period = rate_parse(rate)
    now = api_throttle.clock()
    window = int(now // period)
    # Who may be a user name typed by anyone: hash it into a short, safe cache key.
    digest = hashlib.sha256(who.encode("utf-8", "replace")).hexdigest()[:32]
    return f"failures:{scope}:{period}:{window}:{digest}", period, (window + 1) * period - now


def failures_wait(scope: str, who: str, rate: str) -> float | None:
    """Seconds until `who` may try again, or None while it has failures left."""
    limit, _ = rate_parse(rate)
    key, _, wait = _key(scope, who, rate)
    count = cache.get(key, 0)
    return max(wait, 1.0) if isinstance(count, int) and count >= limit else None


def failure_record(scope: str, who: str, rate: str) -> None:
    key, period, _ = _key(scope, who, rate)
    cache.add(key, 0, timeout=period + 1)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=period + 1)
