"""HEAD on every GET route of the API (common/api_head.py, wired in roadmapfinder/api.py): the
GET answer's status and headers, no body. The routes are found by walking the mounted URL
patterns, so a route added later is covered without touching this file."""

from __future__ import annotations

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.services import api_token_create
from common import api_throttle
from roadmaps.models import Topic

pytestmark = pytest.mark.django_db

# Values for the path parameters of every route, and a query where a route needs one to answer
# 200 rather than 422.
PATH_VALUES = {"slug": "flask", "topic_key": "client-server-model"}
QUERIES = {"search": "?q=jwt", "search_suggest": "?q=jw", "roadmap_list": "?page_size=5"}
# Headers that may differ between two requests a moment apart: the budget left, and the
# never_cache Expires stamp of /me answers.
# Headers that differ between any two requests: the throttle counts each one, each request gets
# its own id.
MOVING_HEADERS = {"RateLimit-Remaining", "Expires", "X-Request-ID"}


def api_routes() -> dict[str, str]:
    """Every distinct URL of the mounted API, by URL name, with its path parameters filled."""
    (api_resolver,) = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "api-v1"
    ]
    routes: dict[str, str] = {}
    for pattern in api_resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: PATH_VALUES[name] for name in pattern.pattern.converters}
        url = reverse(f"api-v1:{pattern.name}", kwargs=kwargs)
        if url not in routes.values():
            routes[pattern.name] = url + QUERIES.get(pattern.name, "")
    return routes


@pytest.fixture
def token(learner, flask_roadmap) -> dict[str, str]:
    _, raw = api_token_create(user=learner, name="head")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture(autouse=True)
def generous_rates(settings, monkeypatch):
    settings.API_THROTTLE_ANON_RATE = "1000/min"
    settings.API_THROTTLE_USER_RATE = "1000/min"
    # A fixed instant, so RateLimit-Reset is the same for GET and HEAD.
    monkeypatch.setattr(api_throttle, "clock", lambda: 1000.0)


def assert_head_matches_get(client, url: str, **headers) -> int:
    got = client.get(url, **headers)
    head = client.head(url, **headers)
    where = (url, headers)
    assert head.status_code == got.status_code, where
    assert head.content == b"", where
    assert set(head.headers) == set(got.headers), where
    for name, value in got.headers.items():
        if name not in MOVING_HEADERS:
            assert head.headers[name] == value, (where, name)
    if "Content-Length" in got:  # absent only on answers built outside the API's views
        assert int(head["Content-Length"]) == len(got.content), where
    if "RateLimit-Remaining" in got:
        assert int(head["RateLimit-Remaining"]) == int(got["RateLimit-Remaining"]) - 1, where
    return got.status_code


def test_the_walk_finds_every_documented_get_route(client):
    documented = client.get("/api/v1/openapi.json").json()["paths"]
    gets = {path for path, methods in documented.items() if "get" in methods}
    walked = {url.split("?")[0] for url in api_routes().values()}
    expected = {path.format(**PATH_VALUES) for path in gets}
    assert expected <= walked
    assert {"/api/v1/openapi.json", "/api/v1/docs"} <= walked


def test_head_answers_like_get_on_every_get_route(client, token):
    statuses = {}
    for name, url in api_routes().items():
        got = client.get(url)
        if got.status_code == 405:
            continue  # not a GET route: see the test below
        statuses[name] = (
            assert_head_matches_get(client, url),
            assert_head_matches_get(client, url, **token),
        )
    # Anonymous, then with a token: the learner endpoints answer 401 without one.
    assert statuses == {
        "openapi-json": (200, 200),
        "openapi-view": (200, 200),
        "health": (200, 200),
        "roadmap_list": (200, 200),
        "roadmap_detail": (200, 200),
        "search": (200, 200),
        "search_suggest": (200, 200),
        "me": (401, 200),
        "me_progress_list": (401, 200),
        "me_progress_detail": (401, 200),
        "course_list": (200, 200),
        "api-root": (404, 404),
    }


def test_head_on_errors_and_conditional_answers(client, flask_roadmap):
    assert assert_head_matches_get(client, "/api/v1/roadmaps/nope") == 404
    assert assert_head_matches_get(client, "/api/v1/roadmaps?page=0") == 422
    etag = client.get("/api/v1/roadmaps/flask")["ETag"]
    assert assert_head_matches_get(client, "/api/v1/roadmaps/flask", HTTP_IF_NONE_MATCH=etag) == 304


def test_routes_without_get_refuse_head(client, token):
    routes = api_routes()
    put_only = routes["me_progress_set"]
    response = client.head(put_only, **token)
    assert response.status_code == 405
    assert response["Allow"] == "PUT"
    # Where GET is allowed, a 405 lists HEAD beside it.
    response = client.delete(routes["roadmap_detail"])
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"detail": "Method not allowed. Allowed: GET, HEAD."}


@pytest.fixture
def keep_db_connection():
    """The WSGI handler closes "old" connections when a request ends; inside the test's
    transaction that would close the test's own connection (see test_api_schemathesis)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def wsgi_call(method: str, path: str) -> tuple[str, dict[str, str], bytes]:
    environ = RequestFactory().generic(method, path).environ
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    body = b"".join(WSGIHandler()(environ, start_response))
    return started["status"], started["headers"], body


def test_the_application_itself_sends_no_body(flask_roadmap, keep_db_connection):
    """The test client and the servers we run strip HEAD bodies anyway; this calls the WSGI
    application directly, as any WSGI server would, to see that nothing is sent."""
    assert Topic.objects.filter(roadmap=flask_roadmap).exists()
    status, headers, body = wsgi_call("GET", "/api/v1/roadmaps/flask")
    assert status == "200 OK"
    assert len(body) > 10_000
    status, head_headers, head_body = wsgi_call("HEAD", "/api/v1/roadmaps/flask")
    assert status == "200 OK"
    assert head_body == b""
    assert head_headers["Content-Length"] == str(len(body))
    assert head_headers["ETag"] == headers["ETag"]


def test_head_costs_what_get_costs(client, flask_roadmap, django_assert_num_queries):
    # Cold: the content stamp, then the roadmap row, phases, sections, active topics,
    # resources with their link status, FAQs, tags. The body is built even though it is not
    # sent: the ETag and Content-Length come from it (and it is stored for the next GET).
    with django_assert_num_queries(8):
        assert client.head("/api/v1/roadmaps/flask").status_code == 200
    # Stored: only the content stamp.
    with django_assert_num_queries(1):
        assert client.head("/api/v1/roadmaps/flask").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/api/v1/roadmaps/flask").status_code == 200
    # The list: the count, then one page with its catalog figures, then the page's tags.
    with django_assert_num_queries(3):
        assert client.head("/api/v1/roadmaps").status_code == 200
