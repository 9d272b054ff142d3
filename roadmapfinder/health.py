"""What `/api/v1/health` reports: whether each service the site uses answers right now.

- database: without it nothing can be served, so the health check answers 503 (a load balancer
  should send traffic elsewhere);
- cache (Redis): the site works without it (a slower site, rate limits not enforced), so the
  answer stays 200 with `status: degraded`;
- broker (Redis, Celery): pages and the API work without it; link checks that could not be
  queued wait for the next pass. Also 200 and `degraded`. In the embedded default tasks run
  in-process and there is no broker (`not used`).

Each probe has a short timeout so the health check itself answers quickly during an outage.
"""

from __future__ import annotations

from typing import Literal

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

Check = Literal["ok", "unavailable", "not used"]
OK: Check = "ok"
UNAVAILABLE: Check = "unavailable"
NOT_USED: Check = "not used"


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return UNAVAILABLE
    return OK


def cache_check() -> Check:
    available = getattr(cache, "available", None)
    if available is None:
        return OK  # local memory: always there
    return OK if available() else UNAVAILABLE


def broker_check() -> Check:
    url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or not url.startswith(("redis://", "rediss://")):
        return NOT_USED
    timeout = settings.REDIS_CACHE_TIMEOUT
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return UNAVAILABLE
    finally:
        client.close()
    return OK


def health_report() -> tuple[int, dict[str, object]]:
    """(HTTP status, body) for the health endpoint."""
    checks = {"database": database_check(), "cache": cache_check(), "broker": broker_check()}
    if checks["database"] == UNAVAILABLE:
        detail = "The database does not answer: try again shortly."
        return 503, {"detail": detail, "status": "unavailable", "checks": checks}
    if UNAVAILABLE in checks.values():
        return 200, {"status": "degraded", "checks": checks}
    return 200, {"status": "ok", "checks": checks}
