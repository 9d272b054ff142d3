"""The public roadmap endpoints of the API (roadmaps/api.py): whole payloads, filters, the cached
tree and its invalidation, conditional requests, drafts, query counts and hostile input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from common.site import absolute_url
from roadmaps.content import roadmap_export, roadmap_import_text
from roadmaps.models import LinkStatus, Roadmap, Tag, Topic
from roadmaps.tests.factories import (
    FAQFactory,
    PhaseFactory,
    ResourceFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


@pytest.fixture
def tiny_roadmap():
    """A roadmap small enough to write its whole JSON down."""
    roadmap = RoadmapFactory(
        slug="tiny",
        title="Tiny Roadmap",
        edition="2026",
        summary="A small path.",
        description="Longer text.",
        category="Backend",
        completion_message="Well done!\nReally.",
    )
    basics = PhaseFactory(
        roadmap=roadmap,
        position=0,
        title="Basics",
        level="prerequisite",
        level_label="",
        duration_min=None,
        duration_max=None,
        duration_unit="",
        duration_label="20% of your time",
        summary="Before you start",
    )
    web = PhaseFactory(
        roadmap=roadmap,
        position=1,
        title="Web",
        level="intermediate",
        level_label="Intermediate Level",
        # Weeks 4-12: months 0.92-2.77, so whole months 0-3 and a 3-month roadmap.
        duration_min=4,
        duration_max=12,
        duration_unit="weeks",
        summary="",
    )
    http = SectionFactory(
        phase=web, position=0, title="HTTP & Web Basics", goal="Speak HTTP", tip="Use curl"
    )
    SectionFactory(phase=basics, position=0, title="Empty group")
    request_cycle = TopicFactory(
        section=http,
        position=0,
        key="request-cycle",
        title="Requests",
        summary="The cycle",
        body="Read **MDN**.",
    )
    TopicFactory(section=http, position=1, key="build-it", title="Build it", kind="project")
    retired = TopicFactory(
        section=None, roadmap=roadmap, key="gone", title="Gone", retired_at=timezone.now()
    )
    ResourceFactory(
        roadmap=roadmap,
        topic=request_cycle,
        kind="article",
        title="MDN: HTTP",
        url="https://developer.mozilla.org/en-US/docs/Web/HTTP",
        author="MDN",
        is_free=True,
    )
    ResourceFactory(roadmap=roadmap, topic=retired, title="Hidden with its item")
    ResourceFactory(
        roadmap=roadmap,
        phase=web,
        kind="video_course",
        title="Web in Hindi",
        url="https://videos.example.com/web",
        language="hi",
        is_free=False,
    )
    ResourceFactory(
        roadmap=roadmap, kind="official_docs", title="Docs", url="https://docs.example.com/"
    )
    FAQFactory(roadmap=roadmap, position=0, question="Why?", answer="Because.")
    roadmap.tags.set([Tag.objects.create(slug="web-apps", name="Web apps")])
    roadmap.refresh_from_db()
    return roadmap


NO_NOTES = {"goal": "", "practice": "", "outcome": "", "tip": ""}


def resource(**values) -> dict:
    return {
        "author": "",
        "description": "",
        "is_free": True,
        "language": "en",
        "link_status": "unknown",
        **values,
    }


def tiny_detail(roadmap: Roadmap) -> dict:
    return {
        "slug": "tiny",
        "title": "Tiny Roadmap",
        "edition": "2026",
        "display_title": "Tiny Roadmap (2026 Edition)",
        "summary": "A small path.",
        "description": "Longer text.",
        "category": "Backend",
        "featured": False,
        "trending": False,
        "tags": [{"slug": "web-apps", "name": "Web apps"}],
        "status": "published",
        "completion_message": "Well done!\nReally.",
        "published_at": iso(roadmap.published_at),
        "updated_at": iso(roadmap.updated_at),
        "url": f"{SITE}/roadmaps/tiny/",
        "level_range": {"min": "prerequisite", "max": "intermediate"},
        "duration_months": 3,
        "counts": {
            "phases": 2,
            "sections": 2,
            "items": 2,
            "topics": 1,
            "projects": 1,
            "goals": 0,
            "resources": 3,
        },
        "resources": [
            resource(kind="official_docs", title="Docs", url="https://docs.example.com/"),
        ],
        "phases": [
            {
                "position": 0,
                "title": "Basics",
                "level": "prerequisite",
                "level_label": "Prerequisite",
                "min_months": None,
                "max_months": None,
                "duration_min": None,
                "duration_max": None,
                "duration_unit": None,
                "duration_label": "20% of your time",
                "timeline": "20% of your time",
                "summary": "Before you start",
                "accent": "",
                "resources": [],
                "sections": [
                    {"position": 0, "title": "Empty group", "notes": NO_NOTES, "topics": []}
                ],
            },
            {
                "position": 1,
                "title": "Web",
                "level": "intermediate",
                "level_label": "Intermediate Level",
                "min_months": 0,
                "max_months": 3,
                "duration_min": 4.0,
                "duration_max": 12.0,
                "duration_unit": "weeks",
                "duration_label": "",
                "timeline": "Weeks 4\u201312",
                "summary": "",
                "accent": "",
                "resources": [
                    resource(
                        kind="video_course",
                        title="Web in Hindi",
                        url="https://videos.example.com/web",
                        language="hi",
                        is_free=False,
                    )
                ],
                "sections": [
                    {
                        "position": 0,
                        "title": "HTTP & Web Basics",
                        "notes": {**NO_NOTES, "goal": "Speak HTTP", "tip": "Use curl"},
                        "topics": [
                            {
                                "key": "request-cycle",
                                "title": "Requests",
                                "summary": "The cycle",
                                "kind": "topic",
                                "url": absolute_url("/roadmaps/tiny/items/request-cycle/"),
                                "body": "Read **MDN**.",
                                "body_html": "<p>Read <strong>MDN</strong>.</p>",
                                "resources": [
                                    resource(
                                        kind="article",
                                        title="MDN: HTTP",
                                        url="https://developer.mozilla.org/en-US/docs/Web/HTTP",
                                        author="MDN",
                                    )
                                ],
                            },
                            {
                                "key": "build-it",
                                "title": "Build it",
                                "summary": "What it is about",
                                "kind": "project",
                                "url": absolute_url("/roadmaps/tiny/items/build-it/"),
                                "body": "",
                                "body_html": "",
                                "resources": [],
                            },
                        ],
                    }
                ],
            },
        ],
        "faqs": [{"question": "Why?", "answer": "Because.", "category": ""}],
    }


# --- GET /api/v1/roadmaps/{slug} --------------------------------------------------------------


def test_detail_whole_payload(client, tiny_roadmap):
    response = client.get("/api/v1/roadmaps/tiny")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == tiny_detail(tiny_roadmap)


def test_detail_of_the_flask_roadmap(client, flask_roadmap):
    body = client.get("/api/v1/roadmaps/flask").json()
    assert body["counts"] == {
        "phases": 17,
        "sections": 49,
        "items": 173,
        "topics": sum(1 for t in Topic.objects.filter(roadmap=flask_roadmap, kind="topic")),
        "projects": Topic.objects.filter(roadmap=flask_roadmap, kind="project").count(),
        "goals": Topic.objects.filter(roadmap=flask_roadmap, kind="goal").count(),
        "resources": flask_roadmap.resources.count(),
    }
    assert [phase["position"] for phase in body["phases"]] == list(range(17))
    assert body["phases"][0]["level_label"] == "Mandatory Prerequisites"
    assert body["level_range"] == {"min": "prerequisite", "max": "expert"}
    assert body["duration_months"] == 12
    keys = [
        topic["key"]
        for phase in body["phases"]
        for section in phase["sections"]
        for topic in section["topics"]
    ]
    assert len(keys) == len(set(keys)) == 173


def test_unknown_slug_is_404_in_the_error_shape(client, db):
    response = client.get("/api/v1/roadmaps/no-such-roadmap")
    assert response.status_code == 404
    assert response.json() == {"detail": "No roadmap with the slug 'no-such-roadmap'."}


@pytest.mark.parametrize("status", [Roadmap.Status.DRAFT, Roadmap.Status.ARCHIVED])
def test_unpublished_roadmaps_are_404_except_for_editors(
    client, learner, editor, tiny_roadmap, status
):
    Roadmap.objects.filter(pk=tiny_roadmap.pk).update(status=status)
    assert client.get("/api/v1/roadmaps/tiny").status_code == 404
    client.force_login(learner)
    assert client.get("/api/v1/roadmaps/tiny").status_code == 404
    client.force_login(editor)
    response = client.get("/api/v1/roadmaps/tiny")
    assert response.status_code == 200
    assert response.json()["status"] == status
    assert response["Cache-Control"] == "private, no-cache"
    # The editor's cached copy must not be served to the public afterwards.
    client.logout()
    assert client.get("/api/v1/roadmaps/tiny").status_code == 404


def test_anonymous_reads_are_publicly_cacheable_and_signed_in_reads_private(
    client, learner, tiny_roadmap, settings
):
    settings.API_CACHE_MAX_AGE = 123
    response = client.get("/api/v1/roadmaps/tiny")
    assert response["Cache-Control"] == "public, max-age=123"
    assert response["Vary"] == "Accept-Encoding, Authorization, Cookie"
    assert response["Last-Modified"] == http_date(tiny_roadmap.updated_at.timestamp())
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 42
    client.force_login(learner)
    assert client.get("/api/v1/roadmaps/tiny")["Cache-Control"] == "private, no-cache"


# --- Conditional requests ---------------------------------------------------------------------


def test_if_none_match_answers_304(client, tiny_roadmap):
    first = client.get("/api/v1/roadmaps/tiny")
    again = client.get("/api/v1/roadmaps/tiny", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    stale = client.get("/api/v1/roadmaps/tiny", HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200
    assert stale.json() == tiny_detail(tiny_roadmap)


def test_if_modified_since_answers_304_until_the_content_changes(client, tiny_roadmap):
    since = http_date(tiny_roadmap.updated_at.timestamp() + 1)
    assert client.get("/api/v1/roadmaps/tiny", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    earlier = http_date((tiny_roadmap.updated_at - timedelta(hours=1)).timestamp())
    assert client.get("/api/v1/roadmaps/tiny", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    Roadmap.objects.filter(pk=tiny_roadmap.pk).update(
        updated_at=tiny_roadmap.updated_at + timedelta(minutes=5)
    )
    assert client.get("/api/v1/roadmaps/tiny", HTTP_IF_MODIFIED_SINCE=since).status_code == 200


def test_list_answers_if_none_match_with_304(client, tiny_roadmap):
    first = client.get("/api/v1/roadmaps")
    assert first.status_code == 200
    assert client.get("/api/v1/roadmaps", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


# --- Cache invalidation -----------------------------------------------------------------------


def admin_post_data(response) -> dict:
    """The change form as the browser would submit it unchanged (main form and inlines)."""
    data: dict = {}

    def add(form) -> None:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.forms:
            add(form)
    return data


def test_admin_edit_is_visible_on_the_next_request(client, editor, tiny_roadmap):
    first = client.get("/api/v1/roadmaps/tiny")
    assert first.json()["phases"][1]["sections"][0]["topics"][0]["title"] == "Requests"
    topic = Topic.objects.get(roadmap=tiny_roadmap, key="request-cycle")
    url = reverse("admin:roadmaps_topic_change", args=[topic.pk])
    client.force_login(editor)
    data = admin_post_data(client.get(url))
    data["title"] = "Requests and responses"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    client.logout()

    after = client.get("/api/v1/roadmaps/tiny", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    topic_json = after.json()["phases"][1]["sections"][0]["topics"][0]
    assert topic_json["title"] == "Requests and responses"
    assert after["ETag"] != first["ETag"]


def test_import_is_visible_on_the_next_request(client, flask_roadmap):
    first = client.get("/api/v1/roadmaps/flask").json()
    assert first["title"] == "Flask Roadmap"
    text = roadmap_export(flask_roadmap).replace(
        "title: Flask Roadmap\n", "title: Flask Roadmap Reloaded\n", 1
    )
    roadmap_import_text(text)
    after = client.get("/api/v1/roadmaps/flask").json()
    assert after["title"] == "Flask Roadmap Reloaded"
    assert after["updated_at"] != first["updated_at"]
    listed = client.get("/api/v1/roadmaps").json()["items"][0]
    assert listed["title"] == "Flask Roadmap Reloaded"


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["flask", "huge"])
def test_detail_query_count_does_not_grow_with_the_roadmap(
    client, size, flask_roadmap, make_roadmap, django_assert_num_queries
):
    slug = "flask"
    if size == "huge":
        slug = make_roadmap(slug="huge", topics=2000, phases=17, sections=50).slug
    # Cold: the version stamp, the roadmap row, then phases, sections, active topics, the
    # resources the caller may see (with their link status), FAQs, the roadmap's tags.
    with django_assert_num_queries(8):
        assert client.get(f"/api/v1/roadmaps/{slug}").status_code == 200
    # Stored: only the version stamp.
    with django_assert_num_queries(1):
        assert client.get(f"/api/v1/roadmaps/{slug}").status_code == 200


def test_huge_roadmap_payload_is_complete(client, make_roadmap):
    make_roadmap(slug="huge", topics=2000, phases=17, sections=50)
    body = client.get("/api/v1/roadmaps/huge").json()
    assert body["counts"]["items"] == 2000
    assert body["counts"]["sections"] == 17 * 50
    assert sum(len(s["topics"]) for p in body["phases"] for s in p["sections"]) == 2000


@pytest.mark.parametrize("extra", [0, 8])
def test_list_query_count_does_not_grow(client, flask_roadmap, extra, django_assert_num_queries):
    for _ in range(extra):
        RoadmapFactory()
    # The total count, then one page of roadmaps with their catalog figures as subqueries,
    # then the page's tags (one prefetch).
    with django_assert_num_queries(3):
        assert client.get("/api/v1/roadmaps").json()["count"] == 1 + extra


# --- GET /api/v1/roadmaps ---------------------------------------------------------------------


def test_list_whole_payload(client, flask_roadmap):
    response = client.get("/api/v1/roadmaps")
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "items": [
            {
                "slug": "flask",
                "title": "Flask Roadmap",
                "edition": "2026",
                "display_title": "Flask Roadmap (2026 Edition)",
                "summary": flask_roadmap.summary,
                "category": "Backend",
                "featured": False,
                "trending": False,
                "tags": [
                    {"slug": "flask", "name": "Flask"},
                    {"slug": "python", "name": "Python"},
                    {"slug": "rest-apis", "name": "REST APIs"},
                    {"slug": "web-development", "name": "Web Development"},
                ],
                "phase_count": 17,
                "topic_count": 173,
                "level_range": {"min": "prerequisite", "max": "expert"},
                "duration_months": 12,
                "updated_at": iso(flask_roadmap.updated_at),
                "url": f"{SITE}/roadmaps/flask/",
                "api_url": f"{SITE}/api/v1/roadmaps/flask",
            }
        ],
    }


@pytest.fixture
def catalog(db):
    a = RoadmapFactory(slug="django", title="Django", category="Backend", summary="Web apps")
    PhaseFactory(roadmap=a, level="beginner")
    b = RoadmapFactory(slug="react", title="React", category="Frontend", summary="UI in JS")
    PhaseFactory(roadmap=b, level="expert")
    c = RoadmapFactory(slug="pandas", title="Pandas", category="Data", summary="Tables in Python")
    PhaseFactory(roadmap=c, level="beginner")
    RoadmapFactory(slug="secret", title="Secret draft", status=Roadmap.Status.DRAFT)
    return [a, b, c]


def slugs(client, query: str = "") -> list[str]:
    response = client.get("/api/v1/roadmaps" + query)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def test_list_filters_and_ordering(client, catalog):
    assert slugs(client) == ["django", "pandas", "react"]
    assert slugs(client, "?ordering=-title") == ["react", "pandas", "django"]
    assert slugs(client, "?category=backend") == ["django"]
    assert slugs(client, "?level=beginner") == ["django", "pandas"]
    assert slugs(client, "?level=expert&category=Frontend") == ["react"]
    assert slugs(client, "?q=python") == ["pandas"]
    assert slugs(client, "?q=web%20apps") == ["django"]
    assert slugs(client, "?q=web%20python") == []
    assert slugs(client, "?level=advanced") == []
    Roadmap.objects.filter(slug="react").update(updated_at=timezone.now() + timedelta(days=1))
    assert slugs(client, "?ordering=-updated_at")[0] == "react"


def test_list_finds_a_roadmap_by_a_word_only_in_its_description(client, catalog):
    # The site's catalog always searched descriptions; the API now filters the same way.
    Roadmap.objects.filter(slug="react").update(description="Hooks, state and effects.")
    assert slugs(client, "?q=hooks") == ["react"]
    assert slugs(client, "?q=react%20effects") == ["react"]
    assert slugs(client, "?q=hooks%20python") == []


def test_a_roadmap_without_phases_has_no_level_range_or_duration(client, db):
    RoadmapFactory(slug="empty", title="Empty")
    listed = client.get("/api/v1/roadmaps").json()["items"][0]
    detail = client.get("/api/v1/roadmaps/empty").json()
    for body in (listed, detail):
        assert body["level_range"] == {"min": None, "max": None}
        assert body["duration_months"] is None
    assert (listed["phase_count"], listed["topic_count"]) == (0, 0)


def test_list_pages(client, catalog):
    first = client.get("/api/v1/roadmaps?page_size=2").json()
    assert [item["slug"] for item in first["items"]] == ["django", "pandas"]
    assert first["count"] == 3
    assert first["previous"] is None
    assert first["next"] == f"{SITE}/api/v1/roadmaps?page_size=2&page=2"
    second = client.get(first["next"].removeprefix(SITE)).json()
    assert [item["slug"] for item in second["items"]] == ["react"]
    assert second["next"] is None
    assert second["previous"] == f"{SITE}/api/v1/roadmaps?page_size=2&page=1"
    beyond = client.get("/api/v1/roadmaps?page_size=2&page=50").json()
    # Past the end: back to the last page.
    assert beyond == {
        "count": 3,
        "next": None,
        "previous": f"{SITE}/api/v1/roadmaps?page_size=2&page=2",
        "items": [],
    }


def test_page_links_keep_every_filter(client, catalog):
    body = client.get("/api/v1/roadmaps?page=2&category=backend&q=web&page_size=1").json()
    assert body == {
        "count": 1,
        "next": None,
        "previous": f"{SITE}/api/v1/roadmaps?page=1&category=backend&q=web&page_size=1",
        "items": [],
    }
    body = client.get("/api/v1/roadmaps?ordering=-title&page_size=1&level=beginner").json()
    assert [item["slug"] for item in body["items"]] == ["pandas"]
    assert body["previous"] is None
    assert body["next"] == (
        f"{SITE}/api/v1/roadmaps?ordering=-title&page_size=1&level=beginner&page=2"
    )
    following = client.get(body["next"].removeprefix(SITE)).json()
    assert [item["slug"] for item in following["items"]] == ["django"]
    assert following["next"] is None
    # Values that need escaping come back escaped, parameters the API ignores included.
    body = client.get("/api/v1/roadmaps?page_size=2&from=caf%C3%A9%20%26%20more").json()
    assert body["next"] == f"{SITE}/api/v1/roadmaps?page_size=2&from=caf%C3%A9+%26+more&page=2"


def test_page_links_follow_site_url(client, catalog, settings):
    settings.SITE_URL = "https://roadmaps.example.org"
    body = client.get("/api/v1/roadmaps?page_size=1").json()
    assert body["next"] == "https://roadmaps.example.org/api/v1/roadmaps?page_size=1&page=2"
    assert body["items"][0]["api_url"] == "https://roadmaps.example.org/api/v1/roadmaps/django"
    assert body["items"][0]["url"] == "https://roadmaps.example.org/roadmaps/django/"


def test_drafts_are_never_listed(client, editor, catalog):
    client.force_login(editor)
    assert "secret" not in slugs(client)


# --- Hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "location"),
    [
        ("?page=0", "page", "query"),
        ("?page=-3", "page", "query"),
        ("?page=99999999999999999999999999", "page", "query"),
        ("?page=%F0%9F%A6%84", "page", "query"),
        ("?page=1.5", "page", "query"),
        ("?page_size=1000", "page_size", "query"),
        ("?level=guru", "level", "query"),
        ("?ordering=id", "ordering", "query"),
        ("?q=" + "x" * 201, "q", "query"),
        ("?q=flask%00", "q", "query"),
        ("?category=%00", "category", "query"),
    ],
)
def test_invalid_list_parameters_are_422_naming_the_field(client, db, query, field, location):
    response = client.get("/api/v1/roadmaps" + query)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["detail"].startswith(f"Invalid input. {field}: ")
    assert [(e["field"], e["location"]) for e in body["errors"]] == [(field, location)]
    assert all(isinstance(e["message"], str) and e["message"] for e in body["errors"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/roadmaps/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/roadmaps/" + "a" * 80,
        "/api/v1/roadmaps/flask/extra",
        "/api/v1/nothing-here",
    ],
)
def test_unknown_paths_are_json_404(client, flask_roadmap, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("slug", ["a" * 81, "%F0%9F%A6%84", "flask%00", "fl%20ask", "flask."])
def test_malformed_slug_is_422(client, db, slug):
    response = client.get("/api/v1/roadmaps/" + slug)
    assert response.status_code == 422
    assert [(e["field"], e["location"]) for e in response.json()["errors"]] == [("slug", "path")]


def test_unicode_and_odd_queries_do_not_break_the_list(client, flask_roadmap):
    for query in ["?q=%F0%9F%A6%84", "?q=%25", "?q=_", "?category=%E2%80%AE", "?q=%27%3B--"]:
        response = client.get("/api/v1/roadmaps" + query)
        assert response.status_code == 200, query
        assert response.json() == {"count": 0, "next": None, "previous": None, "items": []}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_wrong_method_is_405_in_the_error_shape(client, flask_roadmap, method):
    response = getattr(client, method)("/api/v1/roadmaps/flask")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method not allowed. Allowed: GET, HEAD."}
    assert response["Allow"] == "GET, HEAD"


# --- Link status ------------------------------------------------------------------------------


def link_statuses(client, slug: str = "tiny") -> dict[str, str]:
    body = client.get(f"/api/v1/roadmaps/{slug}").json()
    found = {r["title"]: r["link_status"] for r in body["resources"]}
    for phase in body["phases"]:
        found.update({r["title"]: r["link_status"] for r in phase["resources"]})
        for section in phase["sections"]:
            for topic_json in section["topics"]:
                found.update({r["title"]: r["link_status"] for r in topic_json["resources"]})
    return found


def test_link_status_comes_from_the_link_checker(client, editor, tiny_roadmap):
    LinkStatus.objects.create(url="https://docs.example.com/", result=LinkStatus.Result.OK)
    LinkStatus.objects.create(
        url="https://videos.example.com/web", result=LinkStatus.Result.REDIRECTED
    )
    # One failed check is reported but not yet hidden.
    LinkStatus.objects.create(
        url="https://developer.mozilla.org/en-US/docs/Web/HTTP",
        result=LinkStatus.Result.BROKEN,
        consecutive_failures=1,
    )
    assert link_statuses(client) == {"Docs": "ok", "Web in Hindi": "ok", "MDN: HTTP": "broken"}


def test_confirmed_broken_links_are_hidden_from_everyone_but_editors(client, editor, tiny_roadmap):
    LinkStatus.objects.create(
        url="https://docs.example.com/", result=LinkStatus.Result.BROKEN, confirmed_broken=True
    )
    LinkStatus.objects.create(
        url="https://videos.example.com/web",
        result=LinkStatus.Result.UNKNOWN,
    )
    public = client.get("/api/v1/roadmaps/tiny").json()
    assert public["resources"] == []
    assert public["counts"]["resources"] == 2
    assert link_statuses(client) == {"Web in Hindi": "unknown", "MDN: HTTP": "unknown"}
    client.force_login(editor)
    assert link_statuses(client) == {
        "Docs": "broken",
        "Web in Hindi": "unknown",
        "MDN: HTTP": "unknown",
    }


def test_an_accepted_link_is_ok(client, tiny_roadmap):
    LinkStatus.objects.create(
        url="https://docs.example.com/",
        result=LinkStatus.Result.BROKEN,
        confirmed_broken=True,
        override=LinkStatus.Override.ACCEPTED,
    )
    assert link_statuses(client)["Docs"] == "ok"
