"""The Redis cache, made to fail soft: while Redis is down the site works as if the cache were
empty, and it uses Redis again by itself when Redis is back.

Everything that uses the cache treats it as optional: stored pages and API documents are rebuilt
from the database, the API throttle and allauth's sign-in rate limits count in it. With Django's
own `RedisCache` each of those calls raises `ConnectionError` during an outage and every request
answers 500. Here a failed call behaves like a miss:

- reads answer the default (a miss), writes and deletes are dropped;
- `add` answers True and `incr` answers `delta`, as if the key had been absent: a lock taken
  with `add` (allauth's rate limits) is granted and a counter (the API throttle) starts from
  zero, so rate limits fail *open* for the length of the outage, never closed;
- after a failure Redis is left alone for `RETRY_SECONDS` (a circuit breaker shared by the
  process's threads), so a request makes no network call at all during an outage instead of one
  connect timeout per cache call; the first call after that period tries again;
- the outage is logged once when it starts (a warning) and once when it ends (info), not once
  per call.

`OPTIONS` take the usual redis-py connection options (socket timeouts) plus `RETRY_SECONDS`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("roadmapfinder.cache")

T = TypeVar("T")

# OSError covers a refused or reset socket that redis-py did not wrap.
UNAVAILABLE = (RedisError, OSError)


class _Breaker:
    """Whether one Redis location is believed down, and until when calls skip it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0

    def skip(self) -> bool:
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, location: str, retry_seconds: float, error: BaseException) -> None:
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + retry_seconds
            if self.down_since is None:
                self.down_since = now
                logger.warning(
                    "Redis cache at %s is unavailable (%s): serving without the cache, rate "
                    "limits are not enforced until it is back",
                    location,
                    error,
                )

    def succeeded(self, location: str) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            self.down_since = None
            logger.info("Redis cache at %s is back after %.1f s", location, seconds)


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client maker, keeping one `redis.Redis` per connection pool instead of
    building one per cache call: building it cost more CPU (~50 us) than the call's own round
    trip. A `redis.Redis` is safe to share between threads (each command takes a connection
    from the pool) and its pool starts afresh in a forked process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        maker: Any = self  # Django's private attributes, which the type stubs do not declare
        index = maker._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in maker._pools:
                maker._pools[index] = maker._pool_class.from_url(
                    maker._servers[index], **maker._pool_options
                )
            client = self._clients[index] = maker._client(connection_pool=maker._pools[index])
        return client


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache that answers like an empty cache while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = KeptClientRedisCacheClient
        self.location = server if isinstance(server, str) else ",".join(server)
        self.breaker = _breaker_for(self.location)

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        if self.breaker.skip():
            return fallback
        try:
            result = call()
        except UNAVAILABLE as error:
            self.breaker.failed(self.location, self.retry_seconds, error)
            return fallback
        self.breaker.succeeded(self.location)
        return result

    def available(self) -> bool:
        """Ask Redis now, ignoring the breaker (the health check); a success closes it."""
        try:
            client: Any = self._cache  # type: ignore[attr-defined]
            client.get_client(write=True).ping()
        except UNAVAILABLE as error:
            self.breaker.failed(self.location, self.retry_seconds, error)
            return False
        self.breaker.succeeded(self.location)
        return True

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.add(key, value, timeout, version), True)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.get(key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        parent: Any = super()
        self._guard(lambda: parent.set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.touch(key, timeout, version), False)

    def delete(self, key: Any, version: Any = None) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.delete(key, version), False)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.get_many(keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.incr(key, delta, version), delta)

    def count_in_window(self, key: Any, timeout: int, amount: int = 1) -> int:
        """Add `amount` to a window counter that starts at zero and expires after `timeout`
        seconds, in one round trip (`SET NX EX` and `INCRBY` pipelined); the new count. The API
        throttle calls this for its leases (common/api_throttle.py): `add` then `incr` cost two
        round trips. Fails open like `incr` (the count is `amount`: a first lease)."""

        def count() -> int:
            name = self.make_and_validate_key(key)
            client: Any = self._cache.get_client(name, write=True)  # type: ignore[attr-defined]
            pipe = client.pipeline(transaction=False)
            pipe.set(name, 0, ex=timeout, nx=True)
            pipe.incrby(name, amount)
            return int(pipe.execute()[1])

        return self._guard(count, amount)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.set_many(data, timeout, version), list(data))

    def delete_many(self, keys: Any, version: Any = None) -> None:
        parent: Any = super()
        self._guard(lambda: parent.delete_many(keys, version), None)

    def clear(self) -> Any:
        parent: Any = super()
        return self._guard(lambda: parent.clear(), False)
