"""`GET /api/v1/me` and every way of authenticating to the API (accounts/api_auth.py):
session, token, revoked or malformed token, inactive user, anonymous."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from roadmaps.models import Roadmap

pytestmark = pytest.mark.django_db

ANONYMOUS = {"detail": "Authentication required: sign in, or send Authorization: Bearer <token>."}
BAD_TOKEN = {"detail": "Invalid or revoked API token."}


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def me_payload(user, *, is_editor: bool = False) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "is_profile_public": user.is_profile_public,
        "is_editor": is_editor,
        "date_joined": iso(user.date_joined),
        "progress_url": "http://127.0.0.1:8000/api/v1/me/progress",
    }


def test_me_with_a_token(client, learner):
    learner.display_name = "Ada Lovelace"
    learner.preferred_language = "hi"
    learner.save()
    _, raw = api_token_create(user=learner, name="cli")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json() == me_payload(learner)
    assert ApiToken.objects.get().last_used_at is not None


def test_me_with_the_session(client, editor):
    client.force_login(editor)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == me_payload(editor, is_editor=True)


def test_me_scheme_name_is_case_insensitive(client, learner):
    _, raw = api_token_create(user=learner, name="cli")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"bearer {raw}")
    assert response.status_code == 200


def test_me_anonymous_is_401(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == ANONYMOUS
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_revoked_token_is_401(client, learner):
    token, raw = api_token_create(user=learner, name="cli")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    api_token_revoke(user=learner, token_id=token.pk)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == BAD_TOKEN


def test_token_of_a_deactivated_learner_is_401(client, learner):
    _, raw = api_token_create(user=learner, name="cli")
    learner.is_active = False
    learner.save()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == BAD_TOKEN


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer rmf_",
        "Bearer rmf_not-a-real-token",
        "Bearer " + "x" * 5000,
        "Bearer rmf_\u00e9\u00e8\U0001f984",
        "Bearer rmf_a rmf_b",
        "Bearer rmf_\x00\x00\x00\x00abcdef",
    ],
)
def test_wrong_tokens_are_401_everywhere(client, flask_roadmap, header):
    for path in ("/api/v1/me", "/api/v1/roadmaps", "/api/v1/roadmaps/flask"):
        response = client.get(path, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, (path, header)
        assert response.json() == BAD_TOKEN


def test_another_scheme_counts_as_no_credentials(client, flask_roadmap):
    header = {"HTTP_AUTHORIZATION": "Basic YWRhOnNlY3JldA=="}
    assert client.get("/api/v1/roadmaps/flask", **header).status_code == 200
    response = client.get("/api/v1/me", **header)
    assert response.status_code == 401
    assert response.json() == ANONYMOUS


def test_a_token_lets_an_editor_read_drafts(client, editor, flask_roadmap):
    Roadmap.objects.filter(pk=flask_roadmap.pk).update(status=Roadmap.Status.DRAFT)
    _, raw = api_token_create(user=editor, name="cli")
    assert client.get("/api/v1/roadmaps/flask").status_code == 404
    response = client.get("/api/v1/roadmaps/flask", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_reads_with_the_session_need_no_csrf_token(learner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    assert browser.get("/api/v1/me").status_code == 200


def test_me_accepts_only_get_and_head(client, learner):
    client.force_login(learner)
    response = client.post("/api/v1/me")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method not allowed. Allowed: GET, HEAD."}


def test_me_query_count(client, learner, django_assert_num_queries):
    _, raw = api_token_create(user=learner, name="cli")
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.get("/api/v1/me", **header)  # first use writes last_used_at
    # The token with its user; `is_editor` needs no group query for a learner (not staff).
    with django_assert_num_queries(1):
        assert client.get("/api/v1/me", **header).status_code == 200
