"""The one error shape (common/api_errors.py), also for answers made outside ninja."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v2/roadmaps", "/api/"])
def test_unknown_api_paths_are_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_site_pages_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_on_a_learner_endpoint(client, db):
    response = client.delete("/api/v1/me/progress/flask/bulk")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method not allowed. Allowed: POST, PUT."}
    assert response["Allow"] == "POST, PUT"


def test_a_crash_under_the_api_still_answers_json(client, db, monkeypatch):
    from roadmaps import api as roadmaps_api

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(roadmaps_api, "roadmap_search", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/search?q=x")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}
