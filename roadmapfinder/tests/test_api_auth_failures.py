"""Failed token authentications are throttled per address (accounts/api_auth.py,
common/ratelimit.py): authentication runs before ninja's throttle, and each guess costs a
query."""

from __future__ import annotations

import pytest

from accounts.services import api_token_create
from common import api_throttle

pytestmark = pytest.mark.django_db

BAD = "Bearer rmf_made-up-token-000000000000000000000000000000"


@pytest.fixture(autouse=True)
def low_rate(settings, monkeypatch):
    settings.API_THROTTLE_FAILED_AUTH_RATE = "3/min"
    # 1000 s is 40 s into the minute that started at 960 s.
    monkeypatch.setattr(api_throttle, "clock", lambda: 1000.0)


@pytest.fixture
def good(learner) -> str:
    return "Bearer " + api_token_create(user=learner, name="cli")[1]


def test_an_address_that_used_up_its_failures_waits_even_with_a_good_token(
    client, learner, good, django_assert_num_queries, monkeypatch
):
    for _ in range(3):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=BAD).status_code == 401
    with django_assert_num_queries(0):  # refused before the token lookup
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=good)
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many requests: slow down and retry later."}
    assert response["Retry-After"] == "20"
    # Another address is not affected.
    assert (
        client.get("/api/v1/me", HTTP_AUTHORIZATION=good, REMOTE_ADDR="10.0.0.9").status_code == 200
    )
    # The next window starts afresh.
    monkeypatch.setattr(api_throttle, "clock", lambda: 1021.0)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=good).status_code == 200


def test_good_tokens_are_not_counted(client, learner, good):
    for _ in range(5):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=good).status_code == 200
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=BAD).status_code == 401


def test_failures_are_read_once_a_second_and_counted_here_at_once(db, monkeypatch):
    """common.ratelimit remembers the counts it saw (SEEN_SECONDS): a good token does not ask
    Redis on every request. Failures counted by this process are known at once; those counted
    by another process (written straight to the cache here) once what was seen grows old."""
    from django.core.cache import cache

    from common import ratelimit

    rate = "3/min"
    asked = []
    reading = cache.get
    monkeypatch.setattr(cache, "get", lambda *args: asked.append(args) or reading(*args))
    assert [ratelimit.failures_wait("api-token", "10.0.0.7", rate) for _ in range(5)] == [None] * 5
    assert len(asked) == 1
    for _ in range(3):
        ratelimit.failure_record("api-token", "10.0.0.7", rate)
    assert ratelimit.failures_wait("api-token", "10.0.0.7", rate) == 20.0
    assert len(asked) == 1
    # Another process's failures for another address: unseen until what was seen is too old.
    assert ratelimit.failures_wait("api-token", "10.0.0.8", rate) is None
    key = ratelimit._key("api-token", "10.0.0.8", rate)[0]
    cache.set(key, 3, timeout=61)
    assert ratelimit.failures_wait("api-token", "10.0.0.8", rate) is None
    monkeypatch.setattr(ratelimit, "SEEN_SECONDS", 0.0)
    assert ratelimit.failures_wait("api-token", "10.0.0.8", rate) == 20.0
