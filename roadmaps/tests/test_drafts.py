"""Draft copies of a published roadmap, publishing them over the original, preview links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from progress.models import Progress
from roadmaps.content import roadmap_export
from roadmaps.drafts import DraftError, draft_copy, draft_publish
from roadmaps.models import Revision, Roadmap, Topic
from roadmaps.previews import SALT, preview_path
from roadmaps.tests.test_admin import post_change

pytestmark = pytest.mark.django_db


def test_draft_copy_has_the_same_keys_and_is_hidden(client, editor, flask_roadmap):
    draft = draft_copy(roadmap=flask_roadmap, user=editor)
    assert (draft.slug, draft.status, draft.draft_of) == ("flask-draft", "draft", flask_roadmap)
    keys = set(flask_roadmap.topics.values_list("key", flat=True))
    assert set(draft.topics.values_list("key", flat=True)) == keys
    assert roadmap_export(draft).replace("flask-draft", "flask").replace(
        "status: draft", "status: published"
    ) == roadmap_export(flask_roadmap)
    # Hidden from learners, the API and search; the catalog still lists the original once.
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/roadmaps/flask-draft").status_code == 404
    listed = [r["slug"] for r in client.get("/api/v1/roadmaps").json()["items"]]
    assert listed == ["flask"]
    assert "flask-draft" not in client.get("/search/", {"q": "flask"}).content.decode()
    with pytest.raises(DraftError, match="already has a draft copy: flask-draft"):
        draft_copy(roadmap=flask_roadmap)


def test_a_draft_copy_cannot_simply_be_published(flask_roadmap):
    draft = draft_copy(roadmap=flask_roadmap)
    draft.status = Roadmap.Status.PUBLISHED
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.save()


def test_publish_over_the_original_keeps_progress_and_records_a_revision(
    client, editor, learner, flask_roadmap
):
    kept = flask_roadmap.topics.get(key="client-server-model")
    dropped = flask_roadmap.topics.get(key="cors-frontend-awareness")
    for topic in (kept, dropped):
        Progress.objects.create(
            user=learner,
            roadmap=flask_roadmap,
            topic=topic,
            status="done",
            updated_at=topic.roadmap.updated_at,
        )
    client.force_login(editor)
    response = client.post(reverse("admin:roadmaps_roadmap_draft_copy", args=[flask_roadmap.pk]))
    draft = Roadmap.objects.get(draft_of=flask_roadmap)
    assert response.url == reverse("admin:roadmaps_roadmap_change", args=[draft.pk])
    post_change(
        client,
        draft.topics.get(key="client-server-model"),
        lambda d: d.update(title="Clients & servers"),
    )
    draft.topics.filter(key="cors-frontend-awareness").delete()
    assert flask_roadmap.topics.get(key="client-server-model").title != "Clients & servers"

    publish = reverse("admin:roadmaps_roadmap_publish_draft", args=[draft.pk])
    confirm = client.get(publish).content.decode()
    assert "Clients &amp; servers" in confirm and "removed" in confirm
    response = client.post(publish)
    assert response.url == reverse("admin:roadmaps_roadmap_change", args=[flask_roadmap.pk])
    assert not Roadmap.objects.filter(pk=draft.pk).exists()
    assert Topic.objects.get(pk=kept.pk).title == "Clients & servers"
    assert Topic.objects.get(pk=dropped.pk).retired_at is not None
    assert Progress.objects.filter(user=learner).count() == 2
    original = Roadmap.objects.get(pk=flask_roadmap.pk)
    assert (original.slug, original.status) == ("flask", "published")
    latest = original.revisions.order_by("-number").first()
    assert (latest.how, latest.user_name) == (Revision.How.PUBLISH, "grace")
    assert latest.message == "published from draft copy flask-draft"


def test_publish_refuses_a_roadmap_that_is_not_a_draft_copy(flask_roadmap):
    with pytest.raises(DraftError):
        draft_publish(draft=flask_roadmap)
    with pytest.raises(DraftError):
        draft_copy(roadmap=draft_copy(roadmap=flask_roadmap))


def test_preview_link_shows_the_draft_signed_out_until_published(
    client, editor, flask_roadmap, django_assert_max_num_queries
):
    draft = draft_copy(roadmap=flask_roadmap)
    client.force_login(editor)
    page = client.post(reverse("admin:roadmaps_roadmap_preview_link", args=[draft.pk]))
    link = page.context["link"]
    assert "/preview/" in link
    client.logout()
    path = link.split("testserver", 1)[1]
    with django_assert_max_num_queries(12):
        response = client.get(path)
    assert response.status_code == 200
    assert "A preview of a draft" in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert client.get(path[:-3] + "xx/").status_code == 404  # tampered
    draft_publish(draft=draft)
    assert client.get(path).status_code == 404  # published: the draft is gone


def test_preview_link_expires(client, flask_roadmap, settings):
    draft = draft_copy(roadmap=flask_roadmap)
    path = preview_path(draft=draft)
    assert client.get(path).status_code == 200
    settings.ROADMAP_PREVIEW_MAX_AGE = timedelta(seconds=-1)
    assert client.get(path).status_code == 404


def test_preview_token_for_another_roadmap_id_is_refused(client, flask_roadmap):
    draft = draft_copy(roadmap=flask_roadmap)
    token = signing.dumps({"d": draft.pk, "o": None, "t": 0}, salt=SALT)
    assert client.get(reverse("roadmaps:preview", args=[token])).status_code == 404
    forged = signing.dumps({"d": flask_roadmap.pk}, salt="other")
    assert client.get(reverse("roadmaps:preview", args=[forged])).status_code == 404


def test_learner_cannot_make_copies_or_links(client, learner, flask_roadmap):
    client.force_login(learner)
    for name in ("draft_copy", "preview_link"):
        response = client.post(reverse(f"admin:roadmaps_roadmap_{name}", args=[flask_roadmap.pk]))
        assert response.status_code == 302 and "/login/" in response.url
    assert not Roadmap.objects.filter(draft_of=flask_roadmap).exists()


def test_status_action_does_not_publish_a_draft_copy(client, editor, flask_roadmap):
    draft = draft_copy(roadmap=flask_roadmap)
    client.force_login(editor)
    client.post(
        reverse("admin:roadmaps_roadmap_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert Roadmap.objects.get(pk=draft.pk).status == "draft"


def test_status_field_cannot_publish_a_draft_copy(client, editor, flask_roadmap):
    from roadmaps.tests.test_admin import change_form_data

    draft = draft_copy(roadmap=flask_roadmap)
    client.force_login(editor)
    url = reverse("admin:roadmaps_roadmap_change", args=[draft.pk])
    data = change_form_data(client.get(url))
    data["status"] = "published"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A draft copy stays a draft" in response.content.decode()
    assert Roadmap.objects.get(pk=draft.pk).status == "draft"
