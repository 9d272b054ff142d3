"""Redis down (issue 13): pages, the API, password sign-in and the health check keep working on
a private redis-server that the test stops and starts again; the cache recovers by itself.

Service tier: needs only the redis-server binary (skipped without it unless REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import logging
import time

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from roadmapfinder.tests.servers import redis_server

pytestmark = [pytest.mark.services, pytest.mark.django_db]

RETRY_SECONDS = 0.3


@pytest.fixture
def private_redis(settings, tmp_path):
    with redis_server(tmp_path) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "roadmapfinder.cache.FailSoftRedisCache",
                "LOCATION": server.url,
                # The production timeouts (settings.py); a short retry pause keeps the test brief.
                "OPTIONS": {
                    "socket_connect_timeout": settings.REDIS_CACHE_TIMEOUT,
                    "socket_timeout": settings.REDIS_CACHE_TIMEOUT,
                    "RETRY_SECONDS": RETRY_SECONDS,
                },
            }
        }
        settings.CELERY_BROKER_URL = server.url
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.API_THROTTLE_ANON_RATE = "3/min"
        yield server


def statuses(client, path: str, times: int, **extra) -> list[int]:
    return [client.get(path, **extra).status_code for _ in range(times)]


def test_the_site_works_without_redis_and_recovers_by_itself(
    client, private_redis, flask_roadmap, learner, caplog
):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    health = client.get("/api/v1/health", REMOTE_ADDR="10.0.0.1")
    assert (health.status_code, health.json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}},
    )
    # The throttle counts in Redis: a fourth request in the minute is refused.
    assert statuses(client, "/api/v1/roadmaps", 4, REMOTE_ADDR="10.0.0.2") == [200, 200, 200, 429]

    private_redis.stop()
    caplog.set_level(logging.INFO, logger="roadmapfinder.cache")
    # Throttling fails open: more requests than the rate, every one answered.
    assert statuses(client, "/api/v1/roadmaps", 5, REMOTE_ADDR="10.0.0.3") == [200] * 5
    assert client.get("/api/v1/roadmaps/flask").status_code == 200
    assert client.get(reverse("roadmaps:detail", args=["flask"])).status_code == 200
    health = client.get("/api/v1/health")
    assert (health.status_code, health.json()) == (
        200,
        {
            "status": "degraded",
            "checks": {"database": "ok", "cache": "unavailable", "broker": "unavailable"},
        },
    )
    # allauth's sign-in rate limits live in the cache: password sign-in still works.
    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 200
    warnings = [r for r in caplog.records if r.name == "roadmapfinder.cache"]
    assert len(warnings) == 1, "the outage is logged once, not per request"
    assert "unavailable" in warnings[0].getMessage()

    client.logout()  # signed-in users have their own, higher rate
    private_redis.start()
    time.sleep(RETRY_SECONDS * 2)  # the breaker lets the next call try Redis again
    health = client.get("/api/v1/health", REMOTE_ADDR="10.0.0.4")
    assert health.json()["status"] == "ok"
    assert statuses(client, "/api/v1/roadmaps", 4, REMOTE_ADDR="10.0.0.5") == [200, 200, 200, 429]
    assert any("is back" in r.getMessage() for r in caplog.records)


def test_a_hung_redis_costs_a_request_one_short_timeout_at_most(client, private_redis, db):
    """A Redis that accepts connections but never answers (stopped with SIGSTOP) must not hold
    requests: the socket timeout ends the call, and the breaker skips Redis after that."""
    import os
    import signal

    os.kill(private_redis.process.pid, signal.SIGSTOP)
    try:
        assert statuses(client, "/api/v1/health", 3) == [200, 200, 200]
    finally:
        os.kill(private_redis.process.pid, signal.SIGCONT)


def test_window_counts_take_one_call_and_fail_open(private_redis, db):
    """The throttle's counter (`count_in_window`): starts at one, expires with its window, and
    counts one (or the lease asked for) while Redis is down (fail open, like `incr`)."""
    from django.core.cache import cache

    assert [cache.count_in_window("window", 30) for _ in range(3)] == [1, 2, 3]
    client = cache._cache.get_client(write=True)
    assert 0 < client.ttl(cache.make_and_validate_key("window")) <= 30
    assert client is cache._cache.get_client(write=True)  # one kept client, not one per call
    assert cache.count_in_window("window", 30, 10) == 13  # a throttle lease of ten
    private_redis.stop()
    assert cache.count_in_window("window", 30) == 1
    assert cache.count_in_window("window", 30, 10) == 10  # a whole first lease
