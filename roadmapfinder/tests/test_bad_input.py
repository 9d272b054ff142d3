"""Bad input at the edges (issue 13): NUL bytes in addresses (roadmapfinder/middleware.py) and API
bodies over the upload limit (common/api_errors.py). Under DATABASE_URL=postgres:// these
paths reached PostgreSQL, which refuses NUL with an error that answered 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    # Any crash shows up as its status code, as a visitor would see it.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path", ["/u/%00/", "/u/a%00b/flask.svg", "/roadmaps/fl%00ask/", "/%00", "/settings/%00"]
)
def test_a_nul_byte_in_the_path_is_not_found(site, flask_roadmap, learner, path):
    response = site.get(path)
    assert response.status_code == 404
    assert b"This page is not on the map" in response.content


@pytest.mark.parametrize("query", ["?q=%00", "?q=a%00b", "?%00=1", "?q=ok&q=%00"])
def test_a_nul_byte_in_the_query_is_a_bad_request(site, flask_roadmap, query):
    assert site.get("/search/" + query).status_code == 400


def test_the_link_health_filter_refuses_a_nul_byte(site, flask_roadmap, editor):
    site.force_login(editor)
    assert site.get("/admin/roadmaps/linkstatus/?roadmap=%00").status_code == 400
    assert site.get("/admin/roadmaps/linkstatus/").status_code == 200


def test_the_api_keeps_naming_the_parameter(site, db):
    response = site.get("/api/v1/roadmaps?q=a%00b")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["q"]


def test_an_api_body_over_the_upload_limit_is_413_in_the_api_error_shape(
    site, flask_roadmap, learner, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    site.force_login(learner)
    topic_key = flask_roadmap.phases.first().sections.first().topics.first().key
    response = site.put(
        f"/api/v1/me/progress/flask/{topic_key}",
        data=b'{"status": "done", "note": "' + b"x" * 2000 + b'"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1000 bytes."}
