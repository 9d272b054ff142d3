"""Counting failed attempts (API tokens, admin passwords) per address or account in the cache.

One fixed window per (scope, who), as in `api_throttle`; a rate is `<attempts>/<period>`, e.g.
`10/min`. Only failures are counted, and the limit is checked *before* the attempt is judged: once
a caller has used up its failures, even the right password or token waits for the next window.
While Redis is down the cache counts nothing and every attempt is judged (fail open, logged once
by `roadmapfinder.cache`).

Each process remembers the counts it saw for SEEN_SECONDS: a valid API token is checked on every
request, and asking Redis each time cost a round trip per request for a count that is almost
always zero. A failure counted here updates what this process saw at once (the count comes back
with the increment), so a caller spreading failures over several processes gets past its limit
by at most one attempt per process, in the SEEN_SECONDS after it crossed it.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

from common import api_throttle
from common.api_throttle import rate_parse
from common.stored import Store


def _key(scope: str, who: str, rate: str) -> tuple[str, int, float]:
    _, period = rate_parse(rate)
    now = api_throttle.clock()
    window = int(now // period)
    # Who may be a user name typed by anyone: hash it into a short, safe cache key.
    digest = hashlib.sha256(who.encode("utf-8", "replace")).hexdigest()[:32]
    return f"failures:{scope}:{period}:{window}:{digest}", period, (window + 1) * period - now


SEEN_SECONDS = 1.0


# What this process saw: count and when, by cache key (a Store, forgotten with the cache in tests).
SEEN: Store[tuple[int, float]] = Store(max_entries=10_000)


def _seen(key: str) -> int | None:
    found = SEEN.peek(key, None)
    if found is None or time.monotonic() - found[1] > SEEN_SECONDS:
        return None
    return found[0]


def _saw(key: str, count: int) -> None:
    SEEN.put(key, None, (count, time.monotonic()))


def failures_wait(scope: str, who: str, rate: str) -> float | None:
    """Seconds until `who` may try again, or None while it has failures left."""
    limit, _ = rate_parse(rate)
    key, _, wait = _key(scope, who, rate)
    count = _seen(key)
    if count is None:
        stored = cache.get(key, 0)
        count = stored if isinstance(stored, int) else 0
        _saw(key, count)
    return max(wait, 1.0) if count >= limit else None


def failure_record(scope: str, who: str, rate: str) -> None:
    key, period, _ = _key(scope, who, rate)
    cache.add(key, 0, timeout=period + 1)
    try:
        count = int(cache.incr(key))
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=period + 1)
        count = 1
    _saw(key, count)
