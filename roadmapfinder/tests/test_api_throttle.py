"""Throttling (common/api_throttle.py): anonymous callers per address, signed-in users per
user, token clients per token; 429 with Retry-After; RateLimit-* headers on every throttled
answer; rates from settings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.services import api_token_create
from common import api_throttle

pytestmark = pytest.mark.django_db

TOO_MANY = {"detail": "Too many requests: slow down and retry later."}


@pytest.fixture(autouse=True)
def low_rates(settings, monkeypatch):
    settings.API_THROTTLE_ANON_RATE = "3/min"
    settings.API_THROTTLE_USER_RATE = "2/min"
    # 1000 s is 40 s into the minute that started at 960 s: a refused request waits 20 s.
    monkeypatch.setattr(api_throttle, "clock", lambda: 1000.0)


def statuses(client, path: str, times: int, **headers) -> list[int]:
    return [client.get(path, **headers).status_code for _ in range(times)]


def test_anonymous_callers_get_429_with_retry_after(client, flask_roadmap):
    assert statuses(client, "/api/v1/roadmaps", 3) == [200, 200, 200]
    response = client.get("/api/v1/roadmaps/flask")
    assert response.status_code == 429
    assert response.json() == TOO_MANY
    assert response["Retry-After"] == "20"


def test_the_count_restarts_in_the_next_window(client, flask_roadmap, monkeypatch):
    assert statuses(client, "/api/v1/health", 4) == [200, 200, 200, 429]
    monkeypatch.setattr(api_throttle, "clock", lambda: 1021.0)
    assert statuses(client, "/api/v1/health", 1) == [200]


def test_each_address_has_its_own_count(client, flask_roadmap):
    assert statuses(client, "/api/v1/health", 4, REMOTE_ADDR="10.0.0.1")[-1] == 429
    assert statuses(client, "/api/v1/health", 1, REMOTE_ADDR="10.0.0.2") == [200]


def test_forwarded_for_is_ignored_unless_proxies_are_configured(client, db, settings):
    spoofed = [
        client.get("/api/v1/health", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]
    assert spoofed == [200, 200, 200, 429]
    settings.API_TRUSTED_PROXY_COUNT = 1
    behind_proxy = [
        client.get("/api/v1/health", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 10.0.0.9").status_code
        for n in range(4)
    ]
    # The proxy appends the caller's address last; a client-supplied prefix changes nothing.
    assert behind_proxy == [200, 200, 200, 429]
    assert client.get("/api/v1/health", HTTP_X_FORWARDED_FOR="10.0.0.10").status_code == 200


def test_token_clients_are_counted_per_token(client, learner, flask_roadmap):
    _, first = api_token_create(user=learner, name="laptop")
    _, second = api_token_create(user=learner, name="phone")
    one = {"HTTP_AUTHORIZATION": f"Bearer {first}"}
    two = {"HTTP_AUTHORIZATION": f"Bearer {second}"}
    assert statuses(client, "/api/v1/me", 3, **one) == [200, 200, 429]
    assert client.get("/api/v1/roadmaps/flask", **one).status_code == 429
    assert statuses(client, "/api/v1/me", 2, **two) == [200, 200]
    # The anonymous budget of the same address is untouched.
    assert statuses(client, "/api/v1/roadmaps", 3) == [200, 200, 200]


def test_signed_in_browsers_are_counted_per_user(client, learner, db):
    client.force_login(learner)
    response = [client.get("/api/v1/me") for _ in range(3)][-1]
    assert response.status_code == 429
    assert response["Retry-After"] == "20"
    assert response.json() == TOO_MANY


def test_writes_are_throttled_too(client, learner, flask_roadmap):
    _, raw = api_token_create(user=learner, name="cli")
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    key = flask_roadmap.topics.first().key
    codes = [
        client.put(
            f"/api/v1/me/progress/flask/{key}",
            {"status": "done"},
            content_type="application/json",
            **header,
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def rate_limit(response) -> tuple[str, str, str] | None:
    names = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
    if not any(name in response for name in names):
        return None
    return tuple(response[name] for name in names)


def test_answers_tell_the_budget_before_it_runs_out(client, flask_roadmap):
    answers = [
        client.get("/api/v1/roadmaps"),
        client.get("/api/v1/roadmaps/flask"),
        client.head("/api/v1/search?q=jwt"),
        client.get("/api/v1/health"),
    ]
    assert [response.status_code for response in answers] == [200, 200, 200, 429]
    # (limit, remaining, seconds until the window ends): 3/min, 40 s into the minute.
    assert [rate_limit(response) for response in answers] == [
        ("3", "2", "20"),
        ("3", "1", "20"),
        ("3", "0", "20"),
        ("3", "0", "20"),
    ]
    assert answers[-1]["Retry-After"] == "20"


def test_conditional_and_error_answers_carry_the_budget_too(client, flask_roadmap):
    etag = client.get("/api/v1/roadmaps/flask")["ETag"]
    not_modified = client.get("/api/v1/roadmaps/flask", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert rate_limit(not_modified) == ("3", "1", "20")
    invalid = client.get("/api/v1/roadmaps?page=0")
    assert invalid.status_code == 422
    assert rate_limit(invalid) == ("3", "0", "20")


def test_token_clients_see_their_own_budget(client, learner, monkeypatch):
    _, raw = api_token_create(user=learner, name="cli")
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    monkeypatch.setattr(api_throttle, "clock", lambda: 1019.2)
    response = client.get("/api/v1/me", **header)
    # 2/min for signed-in callers; 0.8 s left in the window is announced as 1 s.
    assert rate_limit(response) == ("2", "1", "1")
    assert rate_limit(client.get("/api/v1/roadmaps")) == ("3", "2", "1")


def test_answers_the_throttle_never_counted_carry_no_budget(client, flask_roadmap):
    # The schema and the docs are not throttled; a bad token is refused before counting.
    assert rate_limit(client.get("/api/v1/openapi.json")) is None
    assert rate_limit(client.get("/api/v1/docs")) is None
    refused = client.get("/api/v1/roadmaps", HTTP_AUTHORIZATION="Bearer rmf_nope")
    assert refused.status_code == 401
    assert rate_limit(refused) is None
    assert rate_limit(client.get("/api/v1/me")) is None  # 401: no credentials


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("5/s", (5, 1)), ("120/min", (120, 60)), ("1000/hour", (1000, 3600)), (" 7/day ", (7, 86400))],
)
def test_rate_parse(rate, parsed):
    assert api_throttle.rate_parse(rate) == parsed


@pytest.mark.parametrize("rate", ["", "fast", "0/min", "-1/min", "10", "10/fortnight", "x/min"])
def test_rate_parse_refuses_nonsense(rate):
    with pytest.raises(ImproperlyConfigured, match="Throttle rate"):
        api_throttle.rate_parse(rate)


@pytest.mark.parametrize(
    ("limit", "size"), [(1, 1), (49, 1), (120, 2), (600, 12), (5000, 100), (10**8, 100)]
)
def test_a_lease_is_a_fiftieth_of_the_budget_within_1_and_100(limit: int, size: int) -> None:
    assert api_throttle.lease_size(limit) == size


def test_leased_counts_follow_each_other_and_cost_one_round_trip_per_lease(
    client, flask_roadmap, settings, monkeypatch
):
    settings.API_THROTTLE_ANON_RATE = "500/min"  # leases of 10
    trips = []
    counting = api_throttle.window_count
    monkeypatch.setattr(
        api_throttle, "window_count", lambda *args: trips.append(args) or counting(*args)
    )
    remaining = [client.get("/api/v1/health")["RateLimit-Remaining"] for _ in range(25)]
    assert remaining == [str(499 - n) for n in range(25)]
    assert len(trips) == 3  # 1-10, 11-20, 21-30
    assert {size for *_, size in trips} == {10}


def test_processes_leasing_from_one_counter_never_let_a_client_past_its_limit(db, settings):
    """Two processes (two lease books on one shared counter) serve one client in turns: no
    more than the limit is allowed, and at most each one's unused lease less."""
    limit, size = 100, api_throttle.lease_size(100)
    books = [api_throttle.Leases(), api_throttle.Leases()]
    allowed = sum(books[n % 2].take("client", 61, size) <= limit for n in range(3 * limit))
    assert limit - 2 * (size - 1) <= allowed <= limit
