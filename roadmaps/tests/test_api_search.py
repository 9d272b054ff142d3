"""`GET /api/v1/search` (roadmaps/api.py over roadmaps/search.py): whole payload, drafts,
input validation, fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection

from roadmaps.models import Roadmap
from roadmaps.tests.factories import (
    PhaseFactory,
    ResourceFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def realtime(db):
    roadmap = RoadmapFactory(
        slug="realtime", title="Realtime", edition="", summary="Live apps.", category="Backend"
    )
    phase = PhaseFactory(roadmap=roadmap, position=0, title="Sockets", summary="Push data")
    section = SectionFactory(phase=phase, position=0, title="Protocols")
    TopicFactory(section=section, position=0, key="websockets", title="Websockets", summary="")
    ResourceFactory(roadmap=roadmap, phase=phase, title="Server-sent events guide")
    return roadmap


def test_search_whole_payload(client, realtime):
    response = client.get("/api/v1/search?q=websockets")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response.json() == {
        "query": "websockets",
        "count": 1,
        "next": None,
        "previous": None,
        "close_matches": False,
        "groups": [
            {
                "roadmap": {
                    "slug": "realtime",
                    "title": "Realtime",
                    "edition": "",
                    "display_title": "Realtime",
                    "summary": "Live apps.",
                    "category": "Backend",
                    "url": f"{SITE}/roadmaps/realtime/",
                    "api_url": f"{SITE}/api/v1/roadmaps/realtime",
                },
                "hits": [
                    {
                        "kind": "topic",
                        "title": "Websockets",
                        "snippet": "",
                        "url": f"{SITE}/roadmaps/realtime/#topic-websockets",
                        "context": "Phase 0: Sockets · Protocols",
                    }
                ],
            }
        ],
    }


def test_search_finds_every_kind_of_place(client, flask_roadmap):
    body = client.get("/api/v1/search?q=jwt").json()
    assert body["count"] == sum(len(group["hits"]) for group in body["groups"]) > 0
    assert [group["roadmap"]["slug"] for group in body["groups"]] == ["flask"]
    kinds = {hit["kind"] for hit in body["groups"][0]["hits"]}
    assert {"topic", "resource"} <= kinds
    for hit in body["groups"][0]["hits"]:
        assert hit["url"].startswith(f"{SITE}/roadmaps/flask/#")


def test_drafts_are_found_only_by_editors(client, editor, realtime):
    Roadmap.objects.filter(pk=realtime.pk).update(status=Roadmap.Status.DRAFT)
    assert client.get("/api/v1/search?q=websockets").json()["count"] == 0
    client.force_login(editor)
    response = client.get("/api/v1/search?q=websockets")
    assert response.json()["count"] == 1
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("q", ["!!!", "%F0%9F%A6%84", "%E2%80%AE", "a%20OR%201%3D1", "%27%22%3B"])
def test_odd_queries_find_nothing_and_do_not_fail(client, realtime, q):
    response = client.get(f"/api/v1/search?q={q}")
    assert response.status_code == 200
    assert response.json()["groups"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "at least 1"), ("?q=" + "w" * 201, "at most"), ("?q=a%00b", "pattern")],
)
def test_missing_or_overlong_q_is_422(client, db, query, message):
    response = client.get("/api/v1/search" + query)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["location"]) == ("q", "query")
    assert message in error["message"] or error["message"] == "Field required"


@pytest.mark.parametrize("topics", [40, 2000])
def test_search_query_count_does_not_grow(client, make_roadmap, topics, django_assert_num_queries):
    make_roadmap(slug="big", phases=17, sections=5, topics=topics)
    # The catalog stamp; roadmaps whose title matches; the ranked matches (one statement on
    # PostgreSQL, one per table on SQLite); the page's items.
    ranked = 1 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(1 + 1 + ranked + 1):
        first = client.get("/api/v1/search?q=item")
    body = first.json()
    assert body["count"] == topics + topics // 10  # items, and the docs of every tenth item
    assert sum(len(group["hits"]) for group in body["groups"]) == 20
    # Stored for anonymous callers per catalog stamp: the stamp alone, the same bytes.
    with django_assert_num_queries(1):
        assert client.get("/api/v1/search?q=item").content == first.content


def test_stored_answers_follow_edits_and_keep_their_own_links(client, realtime):
    assert client.get("/api/v1/search?q=websockets").json()["count"] == 1
    Roadmap.objects.filter(pk=realtime.pk).update(status=Roadmap.Status.ARCHIVED)
    assert client.get("/api/v1/search?q=websockets").json()["count"] == 0
    Roadmap.objects.filter(pk=realtime.pk).update(status=Roadmap.Status.PUBLISHED)
    body = client.get("/api/v1/search?q=websockets&page_size=1&page=2").json()
    assert body["previous"] == f"{SITE}/api/v1/search?q=websockets&page_size=1&page=1"


def test_search_pages_with_honest_count_and_links(client, make_roadmap):
    make_roadmap(slug="big", phases=4, sections=3, topics=45)
    first = client.get("/api/v1/search?q=item&page_size=20").json()
    assert first["count"] == 50  # 45 items and the docs of every tenth (5)
    assert first["previous"] is None
    assert first["next"] == f"{SITE}/api/v1/search?q=item&page_size=20&page=2"
    seen = [hit["title"] for group in first["groups"] for hit in group["hits"]]
    third = client.get("/api/v1/search?q=item&page_size=20&page=3").json()
    assert third["next"] is None
    assert third["previous"] == f"{SITE}/api/v1/search?q=item&page_size=20&page=2"
    second = client.get(first["next"].removeprefix(SITE)).json()
    for page in (second, third):
        seen += [hit["title"] for group in page["groups"] for hit in group["hits"]]
    assert len(seen) == len(set(seen)) == 50  # every hit once, none lost between pages
    past = client.get("/api/v1/search?q=item&page=9").json()
    assert (past["count"], past["groups"], past["next"]) == (50, [], None)
    assert past["previous"] == f"{SITE}/api/v1/search?q=item&page=3"


@pytest.mark.parametrize(
    ("query", "field"), [("?q=item&page=0", "page"), ("?q=item&page_size=51", "page_size")]
)
def test_page_out_of_bounds_is_422(client, db, query, field):
    response = client.get("/api/v1/search" + query)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
