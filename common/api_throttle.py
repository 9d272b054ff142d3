"""Request rate limits for the API, counted in the shared cache (Redis in production).

One fixed window per client: anonymous callers are counted per IP address, signed-in browsers per
user, token clients per token (see `accounts.api_auth`). A fixed window lets a client burst up to
twice the rate across a window boundary; that is the price of one atomic `incr` instead of a list
of timestamps read and rewritten on every call.

Counts are taken in leases: a process adds a small share of the budget to the shared counter at
once (`lease_size`: a fiftieth, at most 100, at least 1) and hands those numbers to its next
requests from that client itself, so most requests cost no round trip (it was one per request,
about as much as the answer). A number leased is counted as used: a client is never let past its
limit, and at worst refused a little early, by what other processes leased and did not hand out
(under 2 % of the budget per process). Within one process the numbers, and so the RateLimit-*
headers, follow each other one by one as before.

While Redis is down the cache answers like an empty one (`roadmapfinder.cache`): `add` succeeds
and `incr` counts from zero, so every request is allowed. The throttle fails open on purpose: an
outage must not lock every client out, and the cache logs the outage once when it starts.

Rates are read from settings on every request (`API_THROTTLE_ANON_RATE`,
`API_THROTTLE_USER_RATE`), so tests and operators can change them without re-importing the API.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from common.api_request import rate_limit_record
from common.stored import STORES

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


def window_count(key: str, timeout: int, amount: int = 1) -> int:
    """Count `amount` requests under `key` (a counter living `timeout` seconds); the new count.
    One round trip on Redis (`FailSoftRedisCache.count_in_window`), add + incr elsewhere."""
    count_in_window = getattr(cache, "count_in_window", None)
    if count_in_window is not None:
        return int(count_in_window(key, timeout, amount))
    # add() is a no-op when the key exists; incr() is atomic.
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key, amount))
    except ValueError:  # evicted between add() and incr()
        cache.set(key, amount, timeout=timeout)
        return amount


LEASE_SHARE = 50
LEASE_MAX = 100


def lease_size(limit: int) -> int:
    return max(1, min(LEASE_MAX, limit // LEASE_SHARE))


class Leases:
    """This process's leased numbers per counter key: [next to hand out, last leased]."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, list[int]] = OrderedDict()
        self._lock = threading.Lock()
        STORES.append(self)  # forgotten with the cache between tests

    def take(self, key: str, timeout: int, size: int) -> int:
        """The count of one more request under `key`: from this process's lease, or from a new
        lease of `size` numbers (one round trip)."""
        with self._lock:
            lease = self._entries.get(key)
            if lease is not None and lease[0] <= lease[1]:
                lease[0] += 1
                return lease[0] - 1
        last = window_count(key, timeout, size)  # outside the lock: other clients go on
        first = last - size + 1
        with self._lock:
            self._entries[key] = [first + 1, last]
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:  # the oldest windows go first
                self._entries.popitem(last=False)
        return first

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


LEASES = Leases()


def throttle_count(request: HttpRequest, *, client_id: str, rate: str) -> tuple[bool, float]:
    """Count this request against `client_id`'s budget at `rate` and record it for the
    RateLimit-* headers: (allowed, seconds until the window ends)."""
    limit, period = rate_parse(rate)
    now = clock()
    window = int(now // period)
    key = f"api:v1:throttle:{period}:{window}:{client_id}"
    count = LEASES.take(key, period + 1, lease_size(limit))
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
