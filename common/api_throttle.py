"""Request rate limits for the API, counted in the shared cache (Redis in production).

One fixed window per client: anonymous callers are counted per IP address, signed-in browsers per
user, token clients per token (see `accounts.api_auth`). A fixed window lets a client burst up to
twice the rate across a window boundary; that is the price of one atomic `incr` per request
instead of a list of timestamps read and rewritten on every call.

While Redis is down the cache answers like an empty one (`roadmapfinder.cache`): `add` succeeds
and `incr` counts from zero, so every request is allowed. The throttle fails open on purpose: an
outage must not lock every client out, and the cache logs the outage once when it starts.

Rates are read from settings on every request (`API_THROTTLE_ANON_RATE`,
`API_THROTTLE_USER_RATE`), so tests and operators can change them without re-importing the API.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from common.api_request import rate_limit_record

PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


# Indirection so tests can pin the window instead of racing the wall clock.
clock = time.time


@lru_cache(maxsize=32)
def rate_parse(rate: str) -> tuple[int, int]:
    """'120/min' -> (120, 60). Raises ImproperlyConfigured for anything else."""
    count, _, period = rate.strip().partition("/")
    try:
        requests = int(count)
    except ValueError:
        requests = -1
    if requests < 1 or period.strip().lower() not in PERIODS:
        raise ImproperlyConfigured(
            f"Throttle rate {rate!r} is not valid: write it as <requests>/<period>, "
            f"e.g. '120/min', with period one of {', '.join(sorted(PERIODS))}."
        )
    return requests, PERIODS[period.strip().lower()]


def client_ip(request: HttpRequest) -> str:
    """The caller's address. X-Forwarded-For is trusted only for the configured number of
    proxies in front of us; otherwise any client could pick a fresh address per request."""
    proxies = settings.API_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))][:64]
    return str(request.META.get("REMOTE_ADDR", "unknown"))[:64]


def window_count(key: str, timeout: int) -> int:
    """Count one request under `key` (a counter living `timeout` seconds); the new count. One
    round trip on Redis (`FailSoftRedisCache.count_in_window`), add + incr elsewhere."""
    count_in_window = getattr(cache, "count_in_window", None)
    if count_in_window is not None:
        return int(count_in_window(key, timeout))
    # add() is a no-op when the key exists; incr() is atomic.
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=timeout)
        return 1


def throttle_count(request: HttpRequest, *, client_id: str, rate: str) -> tuple[bool, float]:
    """Count this request against `client_id`'s budget at `rate` and record it for the
    RateLimit-* headers: (allowed, seconds until the window ends)."""
    limit, period = rate_parse(rate)
    now = clock()
    window = int(now // period)
    count = window_count(f"api:v1:throttle:{period}:{window}:{client_id}", period + 1)
    wait = (window + 1) * period - now
    rate_limit_record(request, limit=limit, used=count, reset=wait)
    return count <= limit, wait


def anonymous_client(request: HttpRequest) -> str:
    """The throttle's client id of a caller without credentials: its address."""
    return "ip:" + client_ip(request)


class ApiRateThrottle(BaseThrottle):
    """Allows `rate` requests per window per client; see the module docstring."""

    def __init__(self) -> None:
        # One instance serves every request of an operation; the wait of the request being
        # refused must not leak into another thread's answer.
        self._local = threading.local()

    def client(self, request: HttpRequest) -> tuple[str, str]:
        """(client id, rate) for this request."""
        client_id = getattr(request, "api_client_id", None)
        if client_id:
            return client_id, settings.API_THROTTLE_USER_RATE
        return anonymous_client(request), settings.API_THROTTLE_ANON_RATE

    def allow_request(self, request: HttpRequest) -> bool:
        client_id, rate = self.client(request)
        allowed, wait = throttle_count(request, client_id=client_id, rate=rate)
        if not allowed:
            self._local.wait = wait
        return allowed

    def wait(self) -> float | None:
        return max(getattr(self._local, "wait", 1.0), 1.0)
