"""The editors' admin: access per role, query counts, publishing, reordering, URL validation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps.models import FAQ, Phase, Resource, Roadmap, Section, Topic

pytestmark = pytest.mark.django_db

MODELS = [Roadmap, Phase, Section, Topic, Resource, FAQ]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:roadmaps_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_editor_can_open_changelist_add_and_change(model, client, editor, flask_roadmap):
    client.force_login(editor)
    row = model.objects.first()
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", row.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_learner_is_kept_out(model, client, learner, flask_roadmap):
    client.force_login(learner)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_login(client, flask_roadmap):
    response = client.get(admin_url(Roadmap, "changelist"))
    assert response.status_code == 302


def test_editor_cannot_manage_users(client, editor, learner):
    client.force_login(editor)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def _changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(admin_url(model, "changelist")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(model, client, editor, make_roadmap):
    # Session + user + permissions, the count, the page of rows (related rows joined in
    # with list_select_related), and the filter sidebars: a fixed number whatever the size.
    client.force_login(editor)
    make_roadmap(slug="small", phases=2, sections=2, topics=10)
    small = _changelist_queries(client, model)
    make_roadmap(slug="large", phases=12, sections=4, topics=400)
    assert _changelist_queries(client, model) == small


def test_changelist_query_counts_are_pinned(
    client, editor, make_roadmap, django_assert_num_queries
):
    client.force_login(editor)
    make_roadmap(phases=3, sections=2, topics=30)
    # Every changelist: session, user, user and group permissions, the roadmap choices of the
    # "roadmap" filter (or the category choices on Roadmap), the total and filtered counts, and
    # one page of rows with their parents joined. Resources add the language filter's choices.
    pinned = {Roadmap: 8, Phase: 8, Section: 8, Topic: 8, Resource: 9, FAQ: 8}
    for model, count in pinned.items():
        with django_assert_num_queries(count):
            client.get(admin_url(model, "changelist"))


def test_publish_and_unpublish_actions(client, editor, make_roadmap):
    client.force_login(editor)
    roadmap = make_roadmap()
    Roadmap.objects.filter(pk=roadmap.pk).update(status="draft", published_at=None)
    url = admin_url(Roadmap, "changelist")
    client.post(url, {"action": "publish", "_selected_action": [roadmap.pk]})
    roadmap.refresh_from_db()
    assert roadmap.status == "published" and roadmap.published_at is not None
    client.post(url, {"action": "unpublish", "_selected_action": [roadmap.pk]})
    roadmap.refresh_from_db()
    assert roadmap.status == "draft"


def _inline_post(section: Section, order: list[Topic]) -> dict[str, str]:
    data = {
        "phase": str(section.phase_id),
        "position": str(section.position),
        "title": section.title,
        "topics-TOTAL_FORMS": str(len(order)),
        "topics-INITIAL_FORMS": str(len(order)),
        "topics-MIN_NUM_FORMS": "0",
        "topics-MAX_NUM_FORMS": "1000",
    }
    for index, topic in enumerate(order):
        prefix = f"topics-{index}"
        data.update(
            {
                f"{prefix}-id": str(topic.pk),
                f"{prefix}-section": str(section.pk),
                f"{prefix}-position": str(topic.position),
                f"{prefix}-key": topic.key,
                f"{prefix}-title": topic.title,
                f"{prefix}-summary": topic.summary,
                f"{prefix}-kind": topic.kind,
            }
        )
    return data


def test_reordering_items_keeps_keys_and_dense_positions(client, editor, flask_roadmap):
    client.force_login(editor)
    section = Section.objects.get(phase__roadmap=flask_roadmap, title="HTTP & Web Basics")
    topics = list(section.topics.order_by("position"))
    keys = [t.key for t in topics]
    data = _inline_post(section, topics)
    # Move the last item to the top by giving it a position before the first.
    data[f"topics-{len(topics) - 1}-position"] = "0"
    data["topics-0-position"] = "1"
    data["topics-1-position"] = "2"
    response = client.post(admin_url(Section, "change", section.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = list(section.topics.order_by("position"))
    assert [t.position for t in after] == list(range(len(topics)))
    assert after[0].key == keys[-1]
    assert sorted(t.key for t in after) == sorted(keys)


def test_typing_a_position_puts_the_item_at_that_place(client, editor, flask_roadmap):
    client.force_login(editor)
    section = Section.objects.get(phase__roadmap=flask_roadmap, title="Python Core")
    topics = list(section.topics.order_by("position"))
    data = _inline_post(section, topics)
    data["topics-6-position"] = "2"  # "Virtual environments" to place 2, before "Functions"
    response = client.post(admin_url(Section, "change", section.pk), data)
    assert response.status_code == 302
    after = [t.key for t in section.topics.order_by("position")]
    assert after[:4] == ["data-basics", "control-flow", "virtual-environments", "functions"]
    assert sorted(after) == sorted(t.key for t in topics)


def test_admin_refuses_javascript_url(client, editor, flask_roadmap):
    client.force_login(editor)
    response = client.post(
        admin_url(Resource, "add"),
        {
            "roadmap": flask_roadmap.pk,
            "position": 0,
            "kind": "article",
            "title": "Evil",
            "url": "javascript:alert(1)",
            "language": "en",
            "is_free": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
    assert not Resource.objects.filter(title="Evil").exists()


def test_topic_key_is_read_only_once_created(client, editor, flask_roadmap):
    client.force_login(editor)
    topic = flask_roadmap.topics.first()
    response = client.get(admin_url(Topic, "change", topic.pk))
    assert 'name="key"' not in response.content.decode()


def test_view_on_site_links_to_the_roadmap_page(client, editor, flask_roadmap):
    client.force_login(editor)
    response = client.get(admin_url(Roadmap, "change", flask_roadmap.pk))
    assert "View on site" in response.content.decode()
