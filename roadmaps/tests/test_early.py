"""Stored answers served early (roadmaps/early.py): the same answer as the whole stack gives,
headers included, for plain visitors only; one query; an edit shows at once; 304s."""

from __future__ import annotations

import gzip

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from common.csrf_token import masked_token, page_token, random_chars
from roadmaps.models import Roadmap, Topic
from roadmaps.tests.test_stored import TOKEN_INPUT, edit_topic_title, without_token

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}
# Differ on every answer by design.
PER_ANSWER = {"Set-Cookie", "X-Request-ID", "Date"}


def headers_of(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name not in PER_ANSWER}


def token_of(html: str) -> str:
    start = html.index(TOKEN_INPUT) + len(TOKEN_INPUT)
    return html[start : html.index('"', start)]


@pytest.mark.parametrize("encoding", [GZIP, {}], ids=["gzip", "plain"])
def test_an_early_page_is_the_rendered_page_with_the_same_headers(
    client, flask_roadmap, encoding, django_assert_num_queries
):
    built = client.get("/roadmaps/flask/", **encoding)  # the whole stack renders and stores it
    client.cookies.clear()
    with django_assert_num_queries(1):  # the stamp: no session, user or page queries
        early = client.get("/roadmaps/flask/", **encoding)
    assert early.status_code == built.status_code == 200
    # The pages' ETags name each visitor's CSRF secret (common.csrf_token.token_validator):
    # the same content part, another secret part.
    content_etags = {response["ETag"].rpartition(".")[0] for response in (built, early)}
    assert len(content_etags) == 1
    assert built["ETag"] != early["ETag"]
    assert headers_of(early) | {"ETag": ""} == headers_of(built) | {"ETag": ""}
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
        assert early[header]
    assert early["X-Content-Type-Options"] == "nosniff"
    assert early["Vary"] == "Accept-Encoding, Cookie"
    assert int(early["Content-Length"]) == len(early.content)
    assert early.cookies["csrftoken"].value  # a new visitor gets the cookie of the token
    decode = gzip.decompress if encoding else bytes
    pages = [decode(response.content).decode() for response in (built, early)]
    assert without_token(pages[0]) == without_token(pages[1])


def test_the_early_token_is_the_visitors_own_and_works(flask_roadmap):
    client = Client(enforce_csrf_checks=True)
    client.get("/roadmaps/flask/")  # stored
    client.cookies.clear()
    first = client.get("/roadmaps/flask/")
    secret = first.cookies["csrftoken"].value
    token = token_of(first.content.decode())
    assert _unmask_cipher_token(token) == secret
    # A visitor with the cookie keeps its secret; the token is masked afresh every time.
    again = client.get("/roadmaps/flask/")
    assert token_of(again.content.decode()) != token
    assert _unmask_cipher_token(token_of(again.content.decode())) == secret
    # The form posts with the token: the CSRF check passes (a mark in a new session).
    key = Topic.objects.filter(roadmap=flask_roadmap).first().key
    refused = client.post(f"/progress/flask/items/{key}/", {"status": "done"})
    assert refused.status_code == 403
    accepted = client.post(
        f"/progress/flask/items/{key}/", {"status": "done", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code in {200, 302}


def test_a_session_a_message_or_a_token_goes_the_whole_way(
    client, learner, flask_roadmap, django_assert_num_queries
):
    client.get("/roadmaps/flask/")
    client.get("/api/v1/roadmaps/flask")
    client.force_login(learner)
    client.get("/roadmaps/flask/")  # the learners' content and row, kept per content version
    # session, user, stamp: the learner's page (their statuses are kept per progress version)
    with django_assert_num_queries(3):
        signed_in = client.get("/roadmaps/flask/")
    assert "Track your progress" in signed_in.content.decode()
    client.logout()
    client.cookies["messages"] = "anything"
    assert client.get("/roadmaps/flask/").status_code == 200
    client.cookies.clear()
    wrong = client.get("/api/v1/roadmaps/flask", HTTP_AUTHORIZATION="Bearer rmf_not-a-token")
    assert wrong.status_code == 401  # never the stored document for a wrong token


def test_an_edit_shows_on_the_next_early_request(client, make_roadmap):
    roadmap = make_roadmap(slug="edit-me", phases=1, sections=1, topics=3)
    for path in ("/roadmaps/edit-me/", "/api/v1/roadmaps/edit-me", "/"):
        client.get(path)
        assert "Renamed item" not in client.get(path).content.decode()  # early
    edit_topic_title(roadmap, "Renamed item")
    assert "Renamed item" in client.get("/roadmaps/edit-me/").content.decode()
    assert "Renamed item" in client.get("/api/v1/roadmaps/edit-me").content.decode()
    Roadmap.objects.filter(pk=roadmap.pk).update(title="Edited title")
    roadmap_content_changed_for(roadmap)
    assert "Edited title" in client.get("/").content.decode()


def roadmap_content_changed_for(roadmap: Roadmap) -> None:
    from roadmaps.changes import roadmap_content_changed

    roadmap_content_changed(roadmaps=[roadmap])


def test_early_api_answers_and_304s(client, flask_roadmap, django_assert_num_queries):
    built = client.get("/api/v1/roadmaps/flask", **GZIP)
    with django_assert_num_queries(1):
        early = client.get("/api/v1/roadmaps/flask", **GZIP)
    assert headers_of(early).keys() == headers_of(built).keys()
    assert early["ETag"] == built["ETag"] and early["ETag"].endswith('-gzip"')
    assert early["Vary"] == "Accept-Encoding, Authorization, Cookie"
    assert early["Cache-Control"] == built["Cache-Control"]
    assert gzip.decompress(early.content) == gzip.decompress(built.content)
    assert early["RateLimit-Remaining"] == str(int(built["RateLimit-Remaining"]) - 1)
    with django_assert_num_queries(1):
        not_modified = client.get(
            "/api/v1/roadmaps/flask", HTTP_IF_NONE_MATCH=early["ETag"], **GZIP
        )
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == early["ETag"]
    assert not_modified["Vary"] == "Accept-Encoding, Authorization, Cookie"
    assert "RateLimit-Limit" in not_modified
    # The gzip validator names the gzip form: a plain request with it gets the plain body.
    plain = client.get("/api/v1/roadmaps/flask", HTTP_IF_NONE_MATCH=early["ETag"])
    assert plain.status_code == 200
    assert plain.content == gzip.decompress(early.content)


def test_early_api_answers_count_against_the_throttle(client, flask_roadmap, settings):
    settings.API_THROTTLE_ANON_RATE = "3/min"
    codes = [client.get("/api/v1/roadmaps/flask").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_head_and_query_strings_go_the_whole_way(client, flask_roadmap):
    client.get("/roadmaps/flask/")
    assert client.head("/roadmaps/flask/").status_code == 405  # the view's own answer (GET only)
    client.get("/")
    stored = client.get("/").content.decode()
    assert 'href="/roadmaps/flask/"' in stored
    filtered = client.get("/?q=zzzz-nothing").content.decode()
    assert 'href="/roadmaps/flask/"' not in filtered  # filtered by the view, not the stored page


def test_page_tokens_are_djangos_format():
    assert len(random_chars(32)) == 32
    assert set(random_chars(5000)) == set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    )
    secret = random_chars(32)
    masked = masked_token(secret)
    assert len(masked) == 64 and _unmask_cipher_token(masked) == secret
    assert masked_token(secret) != masked


def test_a_page_token_sets_the_cookie_flags_as_get_token_does(rf):
    new = rf.get("/")
    token = page_token(new)
    assert new.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _unmask_cipher_token(token) == new.META["CSRF_COOKIE"]
    known = rf.get("/")
    known.META["CSRF_COOKIE"] = "a" * 32
    assert _unmask_cipher_token(page_token(known)) == "a" * 32
