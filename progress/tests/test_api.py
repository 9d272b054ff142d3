"""The learner's progress endpoints (progress/api.py): whole payloads, writes through the
services, all-or-nothing bulk, retired items, drafts, session+CSRF and tokens, isolation between
learners, query counts and hostile bodies."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import api_token_create, api_token_revoke
from progress import services
from progress.models import Progress
from roadmaps.models import Roadmap, Topic
from roadmaps.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


@pytest.fixture
def token(learner) -> dict:
    _, raw = api_token_create(user=learner, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def other_token(other_learner) -> dict:
    _, raw = api_token_create(user=other_learner, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def topic(roadmap, key: str) -> Topic:
    return Topic.objects.get(roadmap=roadmap, key=key)


def put(client, path: str, body, **headers):
    return client.put(path, body, content_type="application/json", **headers)


def post(client, path: str, body, **headers):
    return client.post(path, body, content_type="application/json", **headers)


def counts(total, done=0, in_progress=0, skipped=0, percent=0) -> dict:
    return {
        "total": total,
        "done": done,
        "in_progress": in_progress,
        "skipped": skipped,
        "percent": percent,
    }


EMPTY_LIST = {"count": 0, "next": None, "previous": None, "items": []}

ROADMAP_REF = {
    "slug": "tiny",
    "title": "Generated tiny",
    "display_title": "Generated tiny (2026 Edition)",
    "url": f"{SITE}/roadmaps/tiny/",
    "api_url": f"{SITE}/api/v1/roadmaps/tiny",
}


def started(learner, roadmap) -> None:
    """item-0 done, item-1 in progress, item-8 (a project) skipped: all in phase 0."""
    services.progress_set(user=learner, topic=topic(roadmap, "item-0"), status="done")
    services.progress_set(user=learner, topic=topic(roadmap, "item-1"), status="in_progress")
    services.progress_set(user=learner, topic=topic(roadmap, "item-8"), status="skipped")


def expected_summary(learner) -> dict:
    last = Progress.objects.filter(user=learner).latest("updated_at").updated_at
    return {
        "roadmap": ROADMAP_REF,
        "items": counts(20, done=1, in_progress=1, skipped=1, percent=5),  # 1 / 19
        "projects": counts(2, skipped=1),
        "goals": counts(2),
        "is_complete": False,
        # Phase 0 (1 month) has 8 of 10 items open, phase 1 (1 month) all 10: 1.8 -> 2.
        "months_left": 2,
        "next_up": {"key": "item-1", "title": "Item 1", "kind": "topic", "status": "in_progress"},
        "last_activity": iso(last),
        "phases": [
            {
                "position": 0,
                "title": "Phase 0 title",
                "items": counts(10, done=1, in_progress=1, skipped=1, percent=11),  # 1 / 9
            },
            {"position": 1, "title": "Phase 1 title", "items": counts(10)},
        ],
    }


# --- Reads ------------------------------------------------------------------------------------


def test_progress_detail_whole_payload(client, learner, token, roadmap):
    started(learner, roadmap)
    response = client.get("/api/v1/me/progress/tiny", **token)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.json() == {
        **expected_summary(learner),
        "topics": {"item-0": "done", "item-1": "in_progress", "item-8": "skipped"},
        "retired": [],
    }


def test_progress_detail_before_any_progress(client, token, roadmap):
    body = client.get("/api/v1/me/progress/tiny", **token).json()
    assert body["items"] == counts(20)
    assert body["topics"] == {}
    assert body["next_up"] == {"key": "item-0", "title": "Item 0", "kind": "topic", "status": None}
    assert body["last_activity"] is None


def test_progress_list_whole_payload(client, learner, token, roadmap, make_roadmap):
    make_roadmap(slug="untouched", phases=1, sections=1, topics=3)
    assert client.get("/api/v1/me/progress", **token).json() == EMPTY_LIST
    started(learner, roadmap)
    response = client.get("/api/v1/me/progress", **token)
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "items": [expected_summary(learner)],
    }


def test_progress_list_hides_unpublished_roadmaps_from_learners(client, learner, token, roadmap):
    started(learner, roadmap)
    Roadmap.objects.filter(pk=roadmap.pk).update(status=Roadmap.Status.DRAFT)
    assert client.get("/api/v1/me/progress", **token).json() == EMPTY_LIST
    assert client.get("/api/v1/me/progress/tiny", **token).status_code == 404


def test_retired_items_are_listed_apart(client, learner, token, roadmap):
    old = topic(roadmap, "item-3")
    services.progress_set(user=learner, topic=old, status="done")
    Topic.objects.filter(pk=old.pk).update(retired_at=timezone.now(), section=None)
    body = client.get("/api/v1/me/progress/tiny", **token).json()
    assert body["topics"] == {}
    assert body["retired"] == [
        {"key": "item-3", "title": "Item 3", "kind": "topic", "status": "done"}
    ]
    assert body["items"]["total"] == 19


@pytest.mark.parametrize("size", ["tiny", "huge"])
def test_progress_detail_query_count_does_not_grow(
    client, learner, token, make_roadmap, size, django_assert_num_queries
):
    topics = 20 if size == "tiny" else 2000
    roadmap = make_roadmap(slug=size, phases=17, sections=3, topics=topics)
    services.progress_set(user=learner, topic=topic(roadmap, "item-5"), status="done")
    client.get("/api/v1/me", **token)  # first use of the token records last_used_at
    # The token with its user, the roadmap's stamp, its row (then kept for this content
    # version), the learner's statuses, the phases, the topics.
    with django_assert_num_queries(6):
        assert client.get(f"/api/v1/me/progress/{size}", **token).status_code == 200
    # Then: the token with its user, the stamp (the row and the outline are kept per content
    # version, the learner's statuses and summary per their progress version).
    with django_assert_num_queries(2):
        assert client.get(f"/api/v1/me/progress/{size}", **token).status_code == 200


# --- PUT one item -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["done", "in_progress", "skipped"])
def test_put_sets_one_item(client, learner, token, roadmap, status):
    response = put(client, "/api/v1/me/progress/tiny/item-4", {"status": status}, **token)
    assert response.status_code == 200
    row = Progress.objects.get(user=learner)
    assert (row.topic.key, row.status) == ("item-4", status)
    assert response.json() == {"key": "item-4", "status": status, "updated_at": iso(row.updated_at)}


def test_put_none_forgets_the_item(client, learner, token, roadmap):
    started(learner, roadmap)
    response = put(client, "/api/v1/me/progress/tiny/item-0", {"status": "none"}, **token)
    assert response.status_code == 200
    assert response.json() == {"key": "item-0", "status": "none", "updated_at": None}
    assert not Progress.objects.filter(user=learner, topic__key="item-0").exists()


def test_put_again_overwrites(client, learner, token, roadmap):
    put(client, "/api/v1/me/progress/tiny/item-4", {"status": "in_progress"}, **token)
    put(client, "/api/v1/me/progress/tiny/item-4", {"status": "done"}, **token)
    assert list(Progress.objects.filter(user=learner).values_list("status", flat=True)) == ["done"]


def test_put_on_a_retired_item_is_409_and_changes_nothing(client, learner, token, roadmap):
    TopicFactory(section=None, roadmap=roadmap, key="old", retired_at=timezone.now())
    response = put(client, "/api/v1/me/progress/tiny/old", {"status": "done"}, **token)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Item 'old' was removed from this edition of the roadmap; its progress is "
        "kept but can no longer change."
    }
    assert not Progress.objects.exists()


def test_put_unknown_roadmap_or_item_is_404(client, token, roadmap):
    response = put(client, "/api/v1/me/progress/nope/item-1", {"status": "done"}, **token)
    assert response.status_code == 404
    assert response.json() == {"detail": "No roadmap with the slug 'nope'."}
    response = put(client, "/api/v1/me/progress/tiny/no-such-item", {"status": "done"}, **token)
    assert response.status_code == 404
    assert response.json() == {"detail": "Roadmap 'tiny' has no item with the key 'no-such-item'."}


def test_put_on_a_draft_is_404_for_learners_but_allowed_for_editors(
    client, learner, editor, token, roadmap
):
    Roadmap.objects.filter(pk=roadmap.pk).update(status=Roadmap.Status.DRAFT)
    response = put(client, "/api/v1/me/progress/tiny/item-1", {"status": "done"}, **token)
    assert response.status_code == 404
    assert not Progress.objects.exists()
    client.force_login(editor)
    response = put(client, "/api/v1/me/progress/tiny/item-1", {"status": "done"})
    assert response.status_code == 200
    assert Progress.objects.get().user == editor


def test_an_item_whose_key_is_bulk_can_still_be_set(client, learner, token, roadmap):
    section = topic(roadmap, "item-0").section
    TopicFactory(section=section, key="bulk", title="Bulk loading")
    response = put(client, "/api/v1/me/progress/tiny/bulk", {"status": "done"}, **token)
    assert response.status_code == 200
    assert Progress.objects.get(user=learner).topic.key == "bulk"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"status": None}, "status"),
        ({"status": 1}, "status"),
        ({"status": ["done"]}, "status"),
        ({}, "status"),
        ([], "status"),
        ('"done"', "status"),
        ("[1, 2]", "status"),
        ("null", "status"),
    ],
)
def test_put_with_a_wrong_body_is_422_naming_the_field(client, token, roadmap, body, field):
    response = put(client, "/api/v1/me/progress/tiny/item-1", body, **token)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert [(e["field"], e["location"]) for e in errors] == [(field, "body")]
    assert not Progress.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "done", "\x00", b"\xff\xfe"])
def test_put_with_a_body_that_is_no_json_object_is_400(client, token, roadmap, body):
    response = put(client, "/api/v1/me/progress/tiny/item-1", body, **token)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request body must be a JSON object, sent as application/json."
    }
    assert not Progress.objects.exists()


@pytest.mark.parametrize("key", ["Item-1", "item_1", "-item", "%F0%9F%A6%84", "a" * 101])
def test_put_with_a_malformed_key_is_422(client, token, roadmap, key):
    response = put(client, f"/api/v1/me/progress/tiny/{key}", {"status": "done"}, **token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "topic_key"


# --- POST bulk --------------------------------------------------------------------------------


def test_bulk_sets_many_items_and_answers_the_new_state(client, learner, token, roadmap):
    response = post(
        client,
        "/api/v1/me/progress/tiny/bulk",
        {"statuses": {"item-0": "done", "item-1": "in_progress", "item-8": "skipped"}},
        **token,
    )
    assert response.status_code == 200
    assert response.json() == {
        **expected_summary(learner),
        "topics": {"item-0": "done", "item-1": "in_progress", "item-8": "skipped"},
        "retired": [],
    }


def test_bulk_can_clear_items(client, learner, token, roadmap):
    started(learner, roadmap)
    response = post(
        client,
        "/api/v1/me/progress/tiny/bulk",
        {"statuses": {"item-0": "none", "item-1": "none", "item-8": "done"}},
        **token,
    )
    assert response.json()["topics"] == {"item-8": "done"}


def test_bulk_with_an_unknown_key_changes_nothing(client, learner, token, roadmap):
    started(learner, roadmap)
    before = set(Progress.objects.values_list("topic__key", "status", "updated_at"))
    response = post(
        client,
        "/api/v1/me/progress/tiny/bulk",
        {"statuses": {"item-2": "done", "item-0": "none", "no-such-item": "done"}},
        **token,
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Invalid input. statuses.no-such-item: Roadmap 'tiny' has no item with this key.",
        "errors": [
            {
                "field": "statuses.no-such-item",
                "location": "body",
                "message": "Roadmap 'tiny' has no item with this key.",
            }
        ],
    }
    assert set(Progress.objects.values_list("topic__key", "status", "updated_at")) == before


def test_bulk_touching_a_retired_item_is_409_and_changes_nothing(client, token, roadmap):
    TopicFactory(section=None, roadmap=roadmap, key="old", retired_at=timezone.now())
    response = post(
        client,
        "/api/v1/me/progress/tiny/bulk",
        {"statuses": {"item-2": "done", "old": "done"}},
        **token,
    )
    assert response.status_code == 409
    assert not Progress.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"statuses": {}}, "statuses"),
        ({"statuses": []}, "statuses"),
        ({"statuses": "done"}, "statuses"),
        ({"statuses": {"item-1": "finished"}}, "statuses.item-1"),
        ({"statuses": {"item-1": 3}}, "statuses.item-1"),
        ({"statuses": {"Not A Key": "done"}}, "statuses.Not A Key"),
        ({}, "statuses"),
    ],
)
def test_bulk_with_a_wrong_body_is_422_naming_the_field(client, token, roadmap, body, field):
    response = post(client, "/api/v1/me/progress/tiny/bulk", body, **token)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not Progress.objects.exists()


def test_bulk_refuses_too_many_items(client, token, roadmap):
    statuses = {f"item-{n}": "done" for n in range(5001)}
    response = post(client, "/api/v1/me/progress/tiny/bulk", {"statuses": statuses}, **token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "statuses"


# --- Who may do what --------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/api/v1/me/progress", None),
    ("get", "/api/v1/me/progress/tiny", None),
    ("put", "/api/v1/me/progress/tiny/item-1", {"status": "done"}),
    ("post", "/api/v1/me/progress/tiny/bulk", {"statuses": {"item-1": "done"}}),
]


def call(client, method, path, body, **headers):
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, body, content_type="application/json", **headers)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_anonymous_gets_401(client, roadmap, method, path, body):
    response = call(client, method, path, body)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication required: sign in, or send Authorization: Bearer <token>."
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not Progress.objects.exists()


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_revoked_token_gets_401(client, learner, roadmap, method, path, body):
    token, raw = api_token_create(user=learner, name="soon gone")
    assert api_token_revoke(user=learner, token_id=token.pk)
    response = call(client, method, path, body, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked API token."}
    assert not Progress.objects.exists()


def test_session_writes_need_the_csrf_token(learner, roadmap):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    # Reads need no CSRF token.
    assert browser.get("/api/v1/me/progress/tiny").status_code == 200
    for method, path, body in ENDPOINTS[2:]:
        response = call(browser, method, path, body)
        assert response.status_code == 403
        assert response.json() == {
            "detail": "CSRF check failed: send the value of the csrftoken cookie in the "
            "X-CSRFToken header, or use a Bearer token."
        }
    assert not Progress.objects.exists()
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    for method, path, body in ENDPOINTS[2:]:
        response = call(browser, method, path, body, HTTP_X_CSRFTOKEN=secret)
        assert response.status_code == 200, response.content
    assert Progress.objects.get(user=learner).status == "done"


def test_tokens_need_no_csrf_token(learner, token, roadmap):
    client = Client(enforce_csrf_checks=True)
    response = put(client, "/api/v1/me/progress/tiny/item-1", {"status": "done"}, **token)
    assert response.status_code == 200
    assert Progress.objects.get(user=learner).status == "done"


def test_another_learners_progress_is_unreachable(
    client, learner, other_learner, token, other_token, roadmap
):
    started(other_learner, roadmap)
    mine = client.get("/api/v1/me/progress/tiny", **token).json()
    assert mine["topics"] == {}
    assert client.get("/api/v1/me/progress", **token).json() == EMPTY_LIST
    # Writing with my token touches only my rows, even for items the other learner started.
    put(client, "/api/v1/me/progress/tiny/item-0", {"status": "none"}, **token)
    post(client, "/api/v1/me/progress/tiny/bulk", {"statuses": {"item-1": "done"}}, **token)
    theirs = client.get("/api/v1/me/progress/tiny", **other_token).json()
    assert theirs["topics"] == {"item-0": "done", "item-1": "in_progress", "item-8": "skipped"}
    assert dict(Progress.objects.filter(user=learner).values_list("topic__key", "status")) == {
        "item-1": "done"
    }


def test_the_token_wins_over_the_session(client, learner, other_learner, other_token, roadmap):
    client.force_login(learner)
    put(client, "/api/v1/me/progress/tiny/item-1", {"status": "done"}, **other_token)
    assert Progress.objects.get().user == other_learner


def test_the_bulk_example_in_the_api_docs_works_on_the_bundled_flask_roadmap(
    client, learner, token, flask_roadmap
):
    """docs/api.md's curl example, sent as written, against content/flask.yaml."""
    import json
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    example = re.search(r"-d '(\{\"statuses\".*?)' \\\n\s+\"\$SITE(\S+/bulk)\"", docs)
    assert example is not None, "docs/api.md no longer has the bulk example"
    body = json.loads(example.group(1))
    response = post(client, example.group(2), body, **token)
    assert response.status_code == 200, response.json()
    assert response.json()["topics"] == body["statuses"]
