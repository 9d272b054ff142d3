"""`GET /api/v1/search/suggest` (roadmaps/api.py over roadmaps/search_pages.py): the header's
suggestions. Payload, escaping, drafts, empty and long queries, throttle, fixed query count."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from common import api_throttle
from roadmaps.models import Roadmap, Topic
from roadmaps.tests.factories import PhaseFactory, RoadmapFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_suggestions_payload(client, flask_roadmap):
    response = client.get("/api/v1/search/suggest?q=jw")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["query"] == "jw"
    assert body["suggestions"][0] == {
        "title": "JWT authentication",
        "kind": "topic",
        "context": "Flask Roadmap · Phase 4: Authentication & Authorization · Authentication",
        "url": "/roadmaps/flask/#topic-jwt-authentication",
    }
    assert 1 < len(body["suggestions"]) <= 6


def test_at_most_six_suggestions(client, make_roadmap):
    make_roadmap(slug="big", topics=40)
    assert len(client.get("/api/v1/search/suggest?q=item").json()["suggestions"]) == 6


def test_markup_in_titles_is_plain_text(client, db):
    roadmap = RoadmapFactory(slug="odd", title="Odd")
    section = SectionFactory(phase=PhaseFactory(roadmap=roadmap))
    TopicFactory(section=section, key="x", title='<img src=x onerror="alert(1)"> Xss item')
    response = client.get("/api/v1/search/suggest?q=xss")
    # Data, never markup: JSON that browsers will not sniff as HTML (search.js sets it as text).
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    (suggestion,) = response.json()["suggestions"]
    assert suggestion["title"] == '<img src=x onerror="alert(1)"> Xss item'


@pytest.mark.parametrize("q", ["", "   ", "!!!", "%27%22"])
def test_empty_queries_suggest_nothing(client, flask_roadmap, q, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(f"/api/v1/search/suggest?q={q}")
    assert (response.status_code, response.json()["suggestions"]) == (200, [])


def test_long_or_missing_query_is_422(client, db):
    response = client.get("/api/v1/search/suggest?q=" + "a" * 201)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"
    assert client.get("/api/v1/search/suggest").status_code == 422


def test_drafts_are_never_suggested_even_to_editors(client, editor, db):
    draft = RoadmapFactory(slug="draft", title="Kafka draft", status=Roadmap.Status.DRAFT)
    TopicFactory(section=SectionFactory(phase=PhaseFactory(roadmap=draft)), title="Kafka topics")
    assert client.get("/api/v1/search/suggest?q=kafka").json()["suggestions"] == []
    client.force_login(editor)
    assert client.get("/api/v1/search/suggest?q=kafka").json()["suggestions"] == []
    assert client.get("/api/v1/search?q=kafka").json()["count"] == 2  # search itself shows them


def test_typos_are_suggested_too(client, flask_roadmap):
    titles = [
        s["title"] for s in client.get("/api/v1/search/suggest?q=celry").json()["suggestions"]
    ]
    assert "Celery" in titles


def test_suggestions_are_throttled(client, flask_roadmap, settings, monkeypatch):
    settings.API_THROTTLE_ANON_RATE = "2/min"
    monkeypatch.setattr(api_throttle, "clock", lambda: 1000.0)
    assert client.get("/api/v1/search/suggest?q=jwt").status_code == 200
    assert client.get("/api/v1/search/suggest?q=jwt").status_code == 200
    refused = client.get("/api/v1/search/suggest?q=jwt")
    assert refused.status_code == 429
    assert "Retry-After" in refused


@pytest.mark.parametrize("topics", [40, 2000])
def test_suggestion_query_count_does_not_grow(
    client, make_roadmap, topics, django_assert_num_queries
):
    make_roadmap(slug="big", phases=17, sections=5, topics=topics)
    # The catalog stamp; roadmaps whose title matches; the ranked matches (one statement on
    # PostgreSQL, one per table on SQLite); the suggested items.
    ranked = 1 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(1 + 1 + ranked + 1):
        first = client.get("/api/v1/search/suggest?q=ite").content
    assert len(json.loads(first)["suggestions"]) == 6
    # Stored per catalog stamp: the stamp alone, the same bytes.
    with django_assert_num_queries(1):
        assert client.get("/api/v1/search/suggest?q=ite").content == first


def test_stored_suggestions_follow_edits(client, flask_roadmap):
    assert client.get("/api/v1/search/suggest?q=bearer").json()["suggestions"] == []
    Topic.objects.filter(key="jwt-authentication").update(title="Bearer tokens")
    Roadmap.objects.filter(pk=flask_roadmap.pk).bump_content_version()  # as every write does
    titles = [
        s["title"] for s in client.get("/api/v1/search/suggest?q=bearer").json()["suggestions"]
    ]
    assert titles == ["Bearer tokens"]
