"""Learners' resource suggestions: the form on the item page and editors' review in the admin
(roadmaps.suggestions, roadmaps.admin_items)."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from roadmaps.models import Resource, ResourceSuggestion, Revision, Roadmap
from roadmaps.suggestions import SuggestionError, suggestion_reject
from roadmaps.tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

SUGGEST = "/roadmaps/{slug}/items/{key}/suggest/"


@pytest.fixture
def topic():
    topic = TopicFactory(key="routing", title="Routing", section__phase__roadmap__slug="demo")
    ResourceFactory(roadmap=topic.roadmap, topic=topic, url="https://docs.example/routing/")
    return topic


def form(**changes: str) -> dict[str, str]:
    return {
        "title": "Routing, explained",
        "url": "https://blog.example/routing/",
        "kind": "article",
        "language": "en",
        "note": "Clear and short.",
        **changes,
    }


def suggest(client: Client, topic, **changes: str):
    return client.post(SUGGEST.format(slug="demo", key=topic.key), form(**changes))


def test_a_signed_in_learner_suggests_and_sees_a_confirmation(client, learner, topic):
    client.force_login(learner)
    response = suggest(client, topic)
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}#suggest"
    suggestion = ResourceSuggestion.objects.get()
    assert (suggestion.user, suggestion.topic, suggestion.status) == (
        learner,
        topic,
        ResourceSuggestion.Status.PENDING,
    )
    assert suggestion.url == "https://blog.example/routing/"
    assert suggestion.note == "Clear and short."
    page = client.get(response["Location"]).content.decode()
    assert "Your suggestion for &#x27;Routing&#x27; was sent to the editors" in page
    assert Resource.objects.filter(topic=topic).count() == 1  # nothing published yet


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_stored(client, topic):
    response = suggest(client, topic)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not ResourceSuggestion.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(learner, topic):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert suggest(client, topic).status_code == 403
    assert not ResourceSuggestion.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("javascript:alert(1)", "starting with http:// or https://", id="javascript"),
        pytest.param("ftp://files.example/x", "starting with http:// or https://", id="ftp"),
        pytest.param("not a url", "starting with http:// or https://", id="garbage"),
        pytest.param(
            "http://127.0.0.1:8000/admin/",
            "local and private network addresses are refused",
            id="loopback",
        ),
        pytest.param(
            "http://localhost/", "local and private network addresses are refused", id="localhost"
        ),
        pytest.param(
            "http://10.1.2.3/", "local and private network addresses are refused", id="private"
        ),
        pytest.param(
            "http://[::1]/", "local and private network addresses are refused", id="ipv6-loopback"
        ),
        pytest.param(
            "https://app.localhost/",
            "local and private network addresses are refused",
            id="sub-local",
        ),
        pytest.param(
            "http://169.254.169.254/latest/",
            "local and private network addresses are refused",
            id="metadata",
        ),
        pytest.param(
            "http://[::ffff:127.0.0.1]/",
            "local and private network addresses are refused",
            id="mapped",
        ),
        pytest.param("https://docs.example/routing/", "already lists that link", id="duplicate"),
    ],
)
def test_a_bad_or_duplicate_address_is_refused_clearly(client, learner, topic, url, message):
    client.force_login(learner)
    response = suggest(client, topic, url=url)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert 'id="suggest-url"' in html and '<details class="item-suggest__details" open>' in html
    assert not ResourceSuggestion.objects.exists()


def test_the_same_link_waiting_for_review_is_refused(client, learner, topic):
    client.force_login(learner)
    suggest(client, topic)
    response = suggest(client, topic)
    assert response.status_code == 400
    assert "already suggested for this item and is waiting for review" in response.content.decode()
    assert ResourceSuggestion.objects.count() == 1


def test_past_the_limit_the_learner_is_told_to_wait(client, learner, topic, settings):
    settings.RESOURCE_SUGGESTION_RATE = "2/hour"
    client.force_login(learner)
    for n in range(2):
        assert suggest(client, topic, url=f"https://blog.example/{n}/").status_code == 302
    response = suggest(client, topic, url="https://blog.example/3/")
    assert response.status_code == 429
    assert "You have sent the most suggestions allowed for now" in response.content.decode()
    assert ResourceSuggestion.objects.count() == 2


def test_refused_attempts_do_not_use_up_the_allowance(client, learner, topic, settings):
    settings.RESOURCE_SUGGESTION_RATE = "1/hour"
    client.force_login(learner)
    assert suggest(client, topic, url="http://localhost/").status_code == 400
    assert suggest(client, topic).status_code == 302


def _admin_action(client: Client, action: str, suggestion, **extra: str):
    return client.post(
        "/admin/roadmaps/resourcesuggestion/",
        {"action": action, ACTION_CHECKBOX_NAME: [suggestion.pk], **extra},
        follow=True,
    )


def test_an_editor_approves_and_the_item_gets_the_resource_in_a_new_version(
    client, learner, editor, topic
):
    client.force_login(learner)
    suggest(client, topic, kind="video_course", language="hi")
    suggestion = ResourceSuggestion.objects.get()
    version = Roadmap.objects.get(pk=topic.roadmap_id).content_version
    client.force_login(editor)
    listing = client.get("/admin/roadmaps/resourcesuggestion/").content.decode()
    assert "Routing, explained" in listing and "Waiting for review" in listing
    response = _admin_action(client, "approve", suggestion)
    assert "Added 1 resource(s) to their items." in response.content.decode()
    resource = Resource.objects.get(url="https://blog.example/routing/")
    assert (resource.topic, resource.kind, resource.language, resource.position) == (
        topic,
        "video_course",
        "hi",
        1,
    )
    suggestion.refresh_from_db()
    assert suggestion.status == ResourceSuggestion.Status.APPROVED
    assert (suggestion.resource, suggestion.reviewed_by) == (resource, editor)
    assert Roadmap.objects.get(pk=topic.roadmap_id).content_version == version + 1
    assert Revision.objects.filter(roadmap_id=topic.roadmap_id, user=editor).exists()
    # A second approval changes nothing.
    response = _admin_action(client, "approve", suggestion)
    assert "was already reviewed" in response.content.decode()
    assert Resource.objects.filter(topic=topic).count() == 2


def test_an_editor_rejects_with_a_reason_and_content_stays(client, learner, editor, topic):
    client.force_login(learner)
    suggest(client, topic)
    suggestion = ResourceSuggestion.objects.get()
    version = Roadmap.objects.get(pk=topic.roadmap_id).content_version
    client.force_login(editor)
    asked = _admin_action(client, "reject", suggestion).content.decode()
    assert "Reject these suggestions?" in asked
    suggestion.refresh_from_db()
    assert suggestion.status == ResourceSuggestion.Status.PENDING
    done = _admin_action(client, "reject", suggestion, reason="Covers Flask 0.12.")
    assert "Rejected 1 suggestion(s)." in done.content.decode()
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reject_reason) == ("rejected", "Covers Flask 0.12.")
    assert Resource.objects.filter(topic=topic).count() == 1
    assert Roadmap.objects.get(pk=topic.roadmap_id).content_version == version


def test_a_rejection_needs_a_reason(editor, learner, topic):
    suggestion = ResourceSuggestion.objects.create(
        topic=topic, user=learner, title="x", url="https://x.example/", kind="article"
    )
    with pytest.raises(SuggestionError, match="Give a reason"):
        suggestion_reject(suggestion=suggestion, editor=editor, reason="  ")
    suggestion.refresh_from_db()
    assert suggestion.status == ResourceSuggestion.Status.PENDING


def test_learners_cannot_reach_the_review(client, learner, topic):
    client.force_login(learner)
    response = client.get("/admin/roadmaps/resourcesuggestion/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
