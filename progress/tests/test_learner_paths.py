"""The learners' two read paths, the roadmap page and `/api/v1/me/progress/{slug}`, reuse what
they built between requests: the page's summary and completion blocks per figures, the
roadmap's row per content version. Nothing reused may carry one learner's marks to another,
and a mark or an edit shows on the very next request."""

from __future__ import annotations

import json
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone

from accounts.services import api_token_create
from accounts.tests.factories import PASSWORD
from common.api_render import render_json
from progress.schemas import RoadmapProgressOut
from progress.services import progress_set_many
from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Roadmap, Topic


def summary_of(html: str) -> str:
    found = re.search(r'<section class="pg-summary.*?</section>', html, re.S)
    assert found, "the page has no progress summary"
    return found.group(0)


def completion_of(html: str) -> str:
    found = re.search(r'<section class="completion.*?</section>', html, re.S)
    assert found, "the page has no completion block"
    return found.group(0)


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_two_learners_alternating_each_see_their_own_summary(
    client, learner, other_learner, roadmap
):
    progress_set_many(
        user=learner, roadmap=roadmap, statuses={"item-1": "done", "item-5": "in_progress"}
    )
    progress_set_many(
        user=other_learner,
        roadmap=roadmap,
        statuses={"item-1": "done", "item-2": "skipped", "item-6": "in_progress"},
    )
    url = roadmap.get_absolute_url()
    for _ in range(2):  # the second round reads the blocks the first one rendered
        client.force_login(learner)
        html = client.get(url).content.decode()
        assert "1 of 20 done (5%) · 1 in progress · 0 skipped" in summary_of(html)
        assert "Continue: Item 5" in summary_of(html)
        assert "So far: 1 of 20 done, 0 skipped, 19 to go." in completion_of(html)
        client.force_login(other_learner)
        html = client.get(url).content.decode()
        assert "1 of 20 done (5%) · 1 in progress · 1 skipped" in summary_of(html)
        assert "Continue: Item 6" in summary_of(html)
        assert "So far: 1 of 20 done, 1 skipped, 18 to go." in completion_of(html)


def test_a_mark_shows_in_the_summary_on_the_next_request(client, learner, roadmap):
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    assert "Track your progress" in summary_of(client.get(url).content.decode())
    client.post(f"/progress/{roadmap.slug}/items/", {"item-1": "d"})
    html = client.get(url).content.decode()
    assert "1 of 20 done (5%)" in summary_of(html)
    assert "So far: 1 of 20 done" in completion_of(html)
    client.post(f"/progress/{roadmap.slug}/items/", {"item-1": "n"})
    assert "Track your progress" in summary_of(client.get(url).content.decode())


def test_an_edit_of_the_next_item_shows_in_the_summary_on_the_next_request(
    client, learner, roadmap
):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-2": "in_progress"})
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    assert "Continue: Item 2" in summary_of(client.get(url).content.decode())
    Topic.objects.filter(roadmap=roadmap, key="item-2").update(title="Routing <basics>")
    roadmap_content_changed(roadmaps=[roadmap])
    assert "Continue: Routing &lt;basics&gt;" in summary_of(client.get(url).content.decode())


def test_an_edit_of_the_completion_message_shows_on_the_next_request(client, learner, roadmap):
    keys = list(roadmap.topics.values_list("key", flat=True))
    progress_set_many(user=learner, roadmap=roadmap, statuses=dict.fromkeys(keys, "done"))
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    Roadmap.objects.filter(pk=roadmap.pk).update(completion_message="Well done!\nNow build.")
    roadmap_content_changed(roadmaps=[roadmap])
    block = completion_of(client.get(url).content.decode())
    assert '<h2 id="completion-title">Well done!</h2>' in block
    assert "<p>Now build.</p>" in block
    Roadmap.objects.filter(pk=roadmap.pk).update(completion_message="You <made> it")
    roadmap_content_changed(roadmaps=[roadmap])
    block = completion_of(client.get(url).content.decode())
    assert '<h2 id="completion-title">You &lt;made&gt; it</h2>' in block
    assert "Well done!" not in block


def test_two_learners_alternating_on_the_api_each_read_their_own_marks(
    client, learner, other_learner, roadmap
):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    progress_set_many(user=other_learner, roadmap=roadmap, statuses={"item-2": "skipped"})
    mine, theirs = bearer(learner), bearer(other_learner)
    for _ in range(2):
        assert client.get("/api/v1/me/progress/tiny", **mine).json()["topics"] == {"item-1": "done"}
        assert client.get("/api/v1/me/progress/tiny", **theirs).json()["topics"] == {
            "item-2": "skipped"
        }


def test_a_mark_and_an_edit_show_on_the_next_api_read(client, learner, roadmap):
    token = bearer(learner)
    assert client.get("/api/v1/me/progress/tiny", **token).json()["topics"] == {}
    client.put(
        "/api/v1/me/progress/tiny/item-3",
        {"status": "in_progress"},
        content_type="application/json",
        **token,
    )
    body = client.get("/api/v1/me/progress/tiny", **token).json()
    assert body["topics"] == {"item-3": "in_progress"}
    assert body["items"]["in_progress"] == 1
    Roadmap.objects.filter(pk=roadmap.pk).update(title="Renamed roadmap")
    roadmap_content_changed(roadmaps=[roadmap])
    body = client.get("/api/v1/me/progress/tiny", **token).json()
    assert body["roadmap"]["title"] == "Renamed roadmap"
    assert body["topics"] == {"item-3": "in_progress"}


def test_an_unpublished_roadmap_is_gone_from_the_api_on_the_next_read(
    client, learner, editor, roadmap
):
    token = bearer(learner)
    assert client.get("/api/v1/me/progress/tiny", **token).status_code == 200
    Roadmap.objects.filter(pk=roadmap.pk).update(status=Roadmap.Status.DRAFT)
    roadmap_content_changed(roadmaps=[roadmap])
    assert client.get("/api/v1/me/progress/tiny", **token).status_code == 404
    # Editors read drafts (their row is loaded, never the learners' kept one).
    assert client.get("/api/v1/me/progress/tiny", **bearer(editor)).status_code == 200


# --- The page's kept frame (roadmaps.pages.learner_page) -------------------------------------

TOKEN = re.compile(r'(name="csrfmiddlewaretoken"(?: form="pcf")? value=")[a-zA-Z0-9]{64}"')


def tokens_of(html: str) -> list[str]:
    return [match.group(0)[-65:-1] for match in TOKEN.finditer(html)]


def without_tokens(html: str) -> str:
    return TOKEN.sub(r'\1TOKEN"', html)


def test_the_kept_frame_gives_the_page_the_whole_template_gives(client, learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    framed = client.get(url).content.decode()
    # A pending message is shown by the whole template (the frame has no messages).
    client.post(f"/progress/{roadmap.slug}/reset/")
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    whole = client.get(url).content.decode()
    assert "was reset" in whole
    whole = re.sub(
        r'\n    <div class="messages" role="status">.*?</div>\n  ', "", whole, flags=re.S
    )
    framed_again = client.get(url).content.decode()
    assert "was reset" not in framed_again
    assert without_tokens(framed) == without_tokens(whole) == without_tokens(framed_again)
    # Two tokens (the sign-out form's, the marks form's), fresh on every answer.
    assert len(tokens_of(framed)) == len(tokens_of(framed_again)) == 2
    assert set(tokens_of(framed)).isdisjoint(tokens_of(framed_again))


def test_the_frames_token_is_the_learners_own_and_works(learner, roadmap):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    client.get(url)  # keeps the frame
    html = client.get(url).content.decode()
    token = tokens_of(html)[-1]
    assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
    answer = client.post(
        f"/progress/{roadmap.slug}/items/", {"item-4": "d", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
    assert client.post(f"/progress/{roadmap.slug}/items/", {"item-5": "d"}).status_code == 403
    assert "item-4" in pressed(client.get(url).content.decode())
    assert "item-5" not in pressed(client.get(url).content.decode())


def pressed(html: str) -> set[str]:
    return set(re.findall(r'<button name="([\w-]+)" value="n" aria-pressed="true"', html))


def member_name(html: str) -> str:
    found = re.search(r'<span class="user-menu__name">([^<]*)</span>', html)
    return found.group(1) if found else ""


def test_two_learners_alternating_each_get_their_own_header_and_marks(
    client, learner, other_learner, roadmap
):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    progress_set_many(user=other_learner, roadmap=roadmap, statuses={"item-2": "skipped"})
    url = roadmap.get_absolute_url()
    for _ in range(2):
        client.force_login(learner)
        html = client.get(url).content.decode()
        assert (member_name(html), pressed(html)) == ("ada", {"item-1"})
        client.force_login(other_learner)
        html = client.get(url).content.decode()
        assert (member_name(html), pressed(html)) == ("bob", {"item-2"})


def test_a_new_name_and_signing_out_show_on_the_next_page(client, learner, roadmap):
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    assert member_name(client.get(url).content.decode()) == "ada"
    learner.display_name = "Ada <Lovelace>"
    learner.save(update_fields=["display_name"])
    html = client.get(url).content.decode()
    assert member_name(html) == "Ada &lt;Lovelace&gt;"
    client.post("/accounts/logout/")
    html = client.get(url).content.decode()
    assert member_name(html) == ""
    assert "Ada" not in html
    assert re.search(
        r'<a class="button button--small" href="/accounts/login/[^"]*">Sign in</a>', html
    )


def test_a_visitor_with_session_marks_gets_the_sign_in_link_back_to_the_page(client, roadmap):
    url = roadmap.get_absolute_url()
    client.post(f"/progress/{roadmap.slug}/items/", {"item-3": "i"})
    for _ in range(2):
        html = client.get(url).content.decode()
        assert 'href="/accounts/login/?next=/roadmaps/tiny/">Sign in</a>' in html
        assert pressed(html) == {"item-3"}
        assert member_name(html) == ""


# --- A learner's statuses kept per progress version (progress.summaries.learner_progress) ----


def test_a_mark_from_another_device_shows_on_the_next_request_everywhere(learner, roadmap):
    laptop, phone = Client(), Client()
    laptop.force_login(learner)
    phone.force_login(learner)
    token = bearer(learner)
    url = roadmap.get_absolute_url()
    for _ in range(2):  # the second round reads what the first one kept
        assert pressed(laptop.get(url).content.decode()) == set()
        assert laptop.get("/api/v1/me/progress/tiny", **token).json()["topics"] == {}
    phone.post(f"/progress/{roadmap.slug}/items/", {"item-7": "s"})
    assert pressed(laptop.get(url).content.decode()) == {"item-7"}
    assert laptop.get("/api/v1/me/progress/tiny", **token).json()["topics"] == {"item-7": "skipped"}
    phone.post(
        "/api/v1/me/progress/tiny/bulk",
        {"statuses": {"item-7": "none", "item-8": "done"}},
        content_type="application/json",
        **token,
    )
    assert pressed(laptop.get(url).content.decode()) == {"item-8"}
    phone.post(f"/progress/{roadmap.slug}/reset/")
    assert pressed(laptop.get(url).content.decode()) == set()
    assert laptop.get("/api/v1/me/progress/tiny", **token).json()["topics"] == {}


def test_session_marks_merged_at_sign_in_show_at_once(client, learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    token = bearer(learner)
    assert client.get("/api/v1/me/progress/tiny", **token).json()["topics"] == {"item-1": "done"}
    visitor = Client()
    visitor.post(f"/progress/{roadmap.slug}/items/", {"item-2": "i"})
    # django.contrib.auth.login sends user_logged_in, as every sign-in does: the merge.
    assert visitor.login(username="ada", password=PASSWORD)
    assert client.get("/api/v1/me/progress/tiny", **token).json()["topics"] == {
        "item-1": "done",
        "item-2": "in_progress",
    }


@pytest.mark.parametrize("state", ["none", "started", "retired", "complete"])
def test_the_progress_answer_is_what_its_schema_validates_and_dumps(
    client, learner, roadmap, state
):
    keys = list(roadmap.topics.order_by("pk").values_list("key", flat=True))
    if state == "complete":
        progress_set_many(user=learner, roadmap=roadmap, statuses=dict.fromkeys(keys, "done"))
    elif state != "none":
        progress_set_many(
            user=learner,
            roadmap=roadmap,
            statuses={"item-1": "done", "item-2": "in_progress", "item-3": "skipped"},
        )
    if state == "retired":
        Topic.objects.filter(roadmap=roadmap, key="item-3").update(
            retired_at=timezone.now(), section=None
        )
        roadmap_content_changed(roadmaps=[roadmap])
    response = client.get("/api/v1/me/progress/tiny", **bearer(learner))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    # What ninja would answer: the schema's fields, in its order, its datetimes.
    validated = RoadmapProgressOut.model_validate(json.loads(response.content)).model_dump()
    assert render_json(validated) == response.content
    body = response.json()
    assert body["is_complete"] is (state == "complete")
    assert len(body["retired"]) == (state == "retired")


def test_a_learner_changing_language_gets_that_order_on_the_next_page(
    client, learner, make_roadmap
):
    from progress.tests.test_stored_pages import mine
    from roadmaps.tests.factories import ResourceFactory

    roadmap = make_roadmap(slug="langs", phases=1, sections=1, topics=1)
    topic = roadmap.topics.get()
    for position, language in enumerate(["en", "hi", "en", "hi"]):
        ResourceFactory(
            roadmap=roadmap, topic=topic, position=10 + position, language=language, title="mine"
        )
    roadmap_content_changed(roadmaps=[roadmap])
    progress_set_many(user=learner, roadmap=roadmap, statuses={topic.key: "done"})
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    for language, order in (("", ["en", "hi", "en", "hi"]), ("hi", ["hi", "hi", "en", "en"])):
        learner.preferred_language = language
        learner.save(update_fields=["preferred_language"])
        for _ in range(2):
            html = client.get(url).content.decode()
            assert mine(html) == order
            assert pressed(html) == {topic.key}


def test_learners_kept_pages_are_their_own_compressed_or_not(
    client, learner, other_learner, roadmap
):
    """A signed-in learner's whole page is kept per progress version with its gzip form
    (roadmaps.pages.LEARNER_PAGES): alternating learners, with and without gzip, each get
    their own marks and name; a mark and a new display name show on the next request."""
    import gzip

    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    url = roadmap.get_absolute_url()

    def page(user, **headers) -> str:
        client.force_login(user)
        response = client.get(url, **headers)
        if response.get("Content-Encoding") == "gzip":
            return gzip.decompress(response.content).decode()
        return response.content.decode()

    for headers in ({}, {"HTTP_ACCEPT_ENCODING": "gzip"}, {"HTTP_ACCEPT_ENCODING": "gzip"}):
        assert "1 of 20 done (5%)" in summary_of(page(learner, **headers))
        assert "Track your progress" in summary_of(page(other_learner, **headers))
    progress_set_many(user=other_learner, roadmap=roadmap, statuses={"item-2": "skipped"})
    assert "0 of 20 done (0%) · 0 in progress · 1 skipped" in summary_of(
        page(other_learner, HTTP_ACCEPT_ENCODING="gzip")
    )
    learner.display_name = "Asha Renamed"
    learner.save(update_fields=["display_name"])
    assert "Asha Renamed" in page(learner, HTTP_ACCEPT_ENCODING="gzip")
    assert "Asha Renamed" not in page(other_learner, HTTP_ACCEPT_ENCODING="gzip")


def test_the_progress_answer_is_kept_compressed_and_revalidates_until_a_mark(
    client, learner, roadmap
):
    import gzip

    headers = bearer(learner)
    path = f"/api/v1/me/progress/{roadmap.slug}"
    plain = client.get(path, **headers)
    zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip", **headers)
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    again = client.get(path, HTTP_IF_NONE_MATCH=plain["ETag"], **headers)
    assert again.status_code == 304
    assert "no-store" in again["Cache-Control"]  # private answers are never stored by caches
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    changed = client.get(path, HTTP_IF_NONE_MATCH=plain["ETag"], **headers)
    assert changed.status_code == 200
    assert changed.json()["topics"]["item-1"] == "done"
