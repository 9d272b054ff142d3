"""CORS (roadmapfinder/cors.py): public reads are readable from any origin; credentialed
endpoints and writes never carry CORS headers."""

from __future__ import annotations

import pytest

from accounts.services import api_token_create

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "https://other.example"}
PREFLIGHT_GET = {**ORIGIN, "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET"}
CORS_HEADERS = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Credentials",
    "Access-Control-Expose-Headers",
]


def no_cors(response) -> bool:
    return not any(response.has_header(name) for name in CORS_HEADERS)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/roadmaps",
        "/api/v1/roadmaps/flask",
        "/api/v1/search?q=flask",
        "/api/v1/openapi.json",
        "/api/v1/health",
    ],
)
def test_public_reads_are_readable_cross_origin(client, flask_roadmap, path):
    response = client.get(path, **ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {name.strip() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Last-Modified", "Retry-After", "Cache-Control"} <= exposed
    # Every RateLimit-* header the answer carries can be read by the calling page.
    sent = {name for name in response.headers if name.lower().startswith("ratelimit-")}
    assert sent <= exposed
    if path != "/api/v1/openapi.json":  # the schema is a static document, not throttled
        assert sent, "public reads tell the caller its rate budget"
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_errors_of_public_reads_are_readable_too(client, db):
    response = client.get("/api/v1/roadmaps/nope", **ORIGIN)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_preflight_for_a_public_read(client, db):
    response = client.options("/api/v1/roadmaps", **PREFLIGHT_GET)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD"
    allowed = response["Access-Control-Allow-Headers"]
    assert "If-None-Match" in allowed
    assert "Authorization" not in allowed  # no cross-origin page can send a token
    assert response["Access-Control-Max-Age"] == "86400"


def test_preflight_for_a_write_is_refused(client, db):
    response = client.options(
        "/api/v1/roadmaps", **ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert no_cors(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/me/progress"),
        ("GET", "/api/v1/me/progress/flask"),
        ("PUT", "/api/v1/me/progress/flask/http-basics"),
        ("POST", "/api/v1/me/progress/flask/bulk"),
    ],
)
def test_credentialed_endpoints_have_no_cors(client, learner, flask_roadmap, method, path):
    _, raw = api_token_create(user=learner, name="cli")
    preflight = client.options(path, **ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD=method)
    assert no_cors(preflight)
    client.force_login(learner)
    response = client.generic(method, path, "{}", content_type="application/json", **ORIGIN)
    assert no_cors(response)
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}", **ORIGIN)
    assert no_cors(response)


def test_same_origin_requests_get_no_cors_headers(client, flask_roadmap):
    assert no_cors(client.get("/api/v1/roadmaps"))


def test_origins_can_be_limited(client, flask_roadmap, settings):
    settings.API_CORS_ALLOWED_ORIGINS = ["https://partner.example"]
    allowed = client.get("/api/v1/roadmaps", HTTP_ORIGIN="https://partner.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "Origin" in allowed["Vary"]
    assert no_cors(client.get("/api/v1/roadmaps", **ORIGIN))
    assert no_cors(client.options("/api/v1/roadmaps", **PREFLIGHT_GET))


def test_site_pages_are_not_touched(client, flask_roadmap):
    assert no_cors(client.get("/", **ORIGIN))
