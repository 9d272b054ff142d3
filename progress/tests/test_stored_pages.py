"""The stored roadmap page (roadmaps.pages) never carries anyone's progress: learners and
visitors with a session get the rendered page with their own marks."""

from __future__ import annotations

import re

from progress.services import progress_set_many
from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Topic


def pressed_items(html: str) -> set[str]:
    return set(re.findall(r'<button name="([\w-]+)" value="n" aria-pressed="true"', html))


def test_no_learner_ever_sees_another_learners_marks(client, learner, other_learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    progress_set_many(user=other_learner, roadmap=roadmap, statuses={"item-2": "skipped"})
    url = roadmap.get_absolute_url()
    anonymous = client.get(url).content.decode()  # stores the page
    assert pressed_items(anonymous) == set()
    for person, theirs in ((learner, {"item-1"}), (other_learner, {"item-2"})):
        client.force_login(person)
        assert pressed_items(client.get(url).content.decode()) == theirs
        client.logout()
        client.cookies.clear()
        assert pressed_items(client.get(url).content.decode()) == set()


def test_a_visitors_session_marks_stay_theirs(client, roadmap):
    url = roadmap.get_absolute_url()
    client.get(url)
    client.post(f"/progress/{roadmap.slug}/items/", {"item-3": "in_progress"})
    assert pressed_items(client.get(url).content.decode()) == {"item-3"}
    client.cookies.clear()
    assert pressed_items(client.get(url).content.decode()) == set()


def test_an_edit_shows_on_the_next_signed_in_page(client, learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    assert "Renamed item" not in client.get(url).content.decode()
    Topic.objects.filter(roadmap=roadmap, key="item-1").update(title="Renamed item")
    roadmap_content_changed(roadmaps=[roadmap])
    html = client.get(url).content.decode()
    assert "Renamed item" in html
    assert pressed_items(html) == {"item-1"}


def mine(html: str) -> list[str]:
    """The languages of the test's own resources (titled "mine"), in page order."""
    return re.findall(r'data-lang="([a-z]{2})">(?:(?!</li>).)*?>mine</a>', html)


def test_each_preferred_language_has_its_own_stored_order(
    client, learner, other_learner, make_roadmap
):
    # The preference orders resources (it hides none), so the stored content is kept per
    # language: a Hindi reader's order never reaches a reader without a preference, or back.
    from roadmaps.tests.factories import ResourceFactory

    roadmap = make_roadmap(slug="langs", phases=1, sections=1, topics=1)
    topic = roadmap.topics.get()
    for position, language in enumerate(["en", "hi", "en", "hi"]):
        ResourceFactory(
            roadmap=roadmap, topic=topic, position=10 + position, language=language, title="mine"
        )
    roadmap_content_changed(roadmaps=[roadmap])
    url = roadmap.get_absolute_url()
    learner.preferred_language = "hi"
    learner.save()
    rounds = []
    for _ in range(2):  # the second round is served from what the first stored
        anonymous = mine(client.get(url).content.decode())
        client.force_login(learner)
        hindi = mine(client.get(url).content.decode())
        client.force_login(other_learner)
        plain = mine(client.get(url).content.decode())
        client.logout()
        client.cookies.clear()
        rounds.append((anonymous, hindi, plain))
    assert rounds[0] == rounds[1]
    anonymous, hindi, plain = rounds[0]
    assert anonymous == plain == ["en", "hi", "en", "hi"]
    assert hindi == ["hi", "hi", "en", "en"]


def test_a_draft_preview_is_never_the_stored_page_and_publishing_shows_at_once(client, roadmap):
    from roadmaps.drafts import draft_copy, draft_publish
    from roadmaps.previews import preview_path

    url = roadmap.get_absolute_url()
    assert "banner--draft" not in client.get(url).content.decode()  # stored now
    draft = draft_copy(roadmap=roadmap)
    Topic.objects.filter(roadmap=draft, key="item-1").update(title="Drafted title")
    preview = client.get(preview_path(draft=draft)).content.decode()
    assert "A preview of a draft" in preview and "Drafted title" in preview
    published = client.get(url).content.decode()
    assert "banner--draft" not in published and "Drafted title" not in published
    draft_publish(draft=draft)
    published = client.get(url).content.decode()
    assert "banner--draft" not in published and "Drafted title" in published


def test_the_page_forms_marks_count_against_the_signed_out_sessions_limit(settings, roadmap):
    # progress:mark (the page's one form) starts sessions as the item control's post does.
    from django.contrib.sessions.models import Session
    from django.test import Client
    from django.urls import reverse

    settings.PROGRESS_ANON_SESSION_RATE = "2/hour"
    url = reverse("progress:mark", args=[roadmap.slug])
    answers = [Client().post(url, {"item-1": "done"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "Too many signed-out visitors" in answers[2].content.decode()
    assert Session.objects.count() == 2
