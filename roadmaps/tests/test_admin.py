"""The editors' admin: access per role, query counts, publishing, reordering, URL validation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.forms import BooleanField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
    version = flask_roadmap.content_version
    response = client.post(admin_url(Section, "change", section.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # Three items saved and the rest renumbered: one content change.
    assert version_of(flask_roadmap) == version + 1
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


# --- Every admin write says "content changed" once ------------------------------------------


def version_of(roadmap: Roadmap) -> int:
    return Roadmap.objects.values_list("content_version", flat=True).get(pk=roadmap.pk)


def change_form_data(response) -> dict[str, object]:
    """The POST an editor's browser sends for an untouched change page: every field of the
    form and of each inline, as the page shows them."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.extend([inline.formset.management_form, *inline.formset.forms])
    data: dict[str, object] = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value
    return data


def post_change(client, row, edit) -> None:
    url = admin_url(type(row), "change", row.pk)
    data = change_form_data(client.get(url))
    edit(data)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [f.errors for i in response.context["inline_admin_formsets"] for f in i.formset.forms],
    ]


@pytest.fixture
def queued_links(monkeypatch):
    queued: list[str] = []
    monkeypatch.setattr(
        "roadmaps.changes.links_queue_new", lambda *, urls: queued.extend(urls) or urls
    )
    return queued


def test_roadmap_page_with_many_inline_changes_bumps_once_and_queues_new_urls(
    client, editor, flask_roadmap, queued_links, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    before = version_of(flask_roadmap)

    def edit(data):
        data["summary"] = "A new summary."
        for index in range(3):
            data[f"phases-{index}-title"] = f"Renamed phase {index}"
        data["faqs-0-answer"] = "A new answer."
        data["phases-5-position"] = "0"  # reordering renumbers the phases too
        data["resources-0-url"] = "https://flask.example.com/new/"

    with django_capture_on_commit_callbacks(execute=True):
        post_change(client, flask_roadmap, edit)
    assert version_of(flask_roadmap) == before + 1
    assert list(flask_roadmap.phases.values_list("position", flat=True)) == list(range(17))
    assert queued_links == ["https://flask.example.com/new/"]


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Phase, "title", "Renamed phase"),
        (Section, "title", "Renamed section"),
        (Topic, "title", "Renamed item"),
        (Resource, "title", "Renamed resource"),
        (FAQ, "answer", "A new answer."),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else "",
)
def test_each_content_admin_save_bumps_once(client, editor, flask_roadmap, model, field, value):
    client.force_login(editor)
    row = model.objects.filter(pk__in=_rows_of(flask_roadmap, model)).order_by("pk").first()
    before = version_of(flask_roadmap)
    post_change(client, row, lambda data: data.update({field: value}))
    assert version_of(flask_roadmap) == before + 1
    row.refresh_from_db()
    assert getattr(row, field) == value


def _rows_of(roadmap: Roadmap, model) -> list[int]:
    if model is Section:
        rows = Section.objects.filter(phase__roadmap=roadmap)
    else:
        rows = model.objects.filter(roadmap=roadmap)
    return list(rows.values_list("pk", flat=True))


def test_topic_page_with_a_new_resource_queues_its_url_on_commit(
    client, editor, flask_roadmap, queued_links, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    topic = flask_roadmap.topics.get(key="client-server-model")
    before = version_of(flask_roadmap)

    def edit(data):
        total = int(data["resources-TOTAL_FORMS"])
        data["resources-TOTAL_FORMS"] = str(total + 1)
        data.update(
            {
                f"resources-{total}-topic": str(topic.pk),
                f"resources-{total}-position": "9",
                f"resources-{total}-kind": "article",
                f"resources-{total}-title": "HTTP explained",
                f"resources-{total}-url": "https://http.example.com/explained",
                f"resources-{total}-language": "en",
            }
        )

    with django_capture_on_commit_callbacks(execute=True):
        post_change(client, topic, edit)
    assert version_of(flask_roadmap) == before + 1
    assert queued_links == ["https://http.example.com/explained"]
    assert topic.resources.get(url="https://http.example.com/explained").roadmap == flask_roadmap


def test_adding_a_resource_on_its_own_page_queues_its_url(
    client, editor, flask_roadmap, queued_links, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    before = version_of(flask_roadmap)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url(Resource, "add"),
            {
                "roadmap": flask_roadmap.pk,
                "position": 0,
                "kind": "article",
                "title": "Fresh",
                "url": "https://fresh.example.com/",
                "language": "en",
                "is_free": "on",
            },
        )
    assert response.status_code == 302
    assert version_of(flask_roadmap) == before + 1
    assert queued_links == ["https://fresh.example.com/"]


def test_moving_a_faq_to_another_roadmap_bumps_both(client, editor, flask_roadmap, make_roadmap):
    client.force_login(editor)
    other = make_roadmap(slug="other")
    faq = other.faqs.get(position=0)
    versions = version_of(flask_roadmap), version_of(other)
    post_change(client, faq, lambda data: data.update(roadmap=flask_roadmap.pk))
    assert (version_of(flask_roadmap), version_of(other)) == (versions[0] + 1, versions[1] + 1)


def test_deleting_bumps_once_per_request(client, editor, flask_roadmap):
    client.force_login(editor)
    faq = flask_roadmap.faqs.first()
    before = version_of(flask_roadmap)
    response = client.post(admin_url(FAQ, "delete", faq.pk), {"post": "yes"})
    assert response.status_code == 302
    assert version_of(flask_roadmap) == before + 1

    topics = list(flask_roadmap.topics.order_by("pk").values_list("pk", flat=True)[:3])
    response = client.post(
        admin_url(Topic, "changelist"),
        {"action": "delete_selected", "_selected_action": topics, "post": "yes"},
    )
    assert response.status_code == 302
    assert version_of(flask_roadmap) == before + 2
    assert not Topic.objects.filter(pk__in=topics).exists()


def test_status_actions_bump_each_changed_roadmap_once(client, editor, make_roadmap):
    client.force_login(editor)
    roadmaps = [make_roadmap(slug="one"), make_roadmap(slug="two")]
    Roadmap.objects.filter(pk=roadmaps[1].pk).update(status="archived")
    before = [version_of(r) for r in roadmaps]
    client.post(
        admin_url(Roadmap, "changelist"),
        {"action": "archive", "_selected_action": [r.pk for r in roadmaps]},
    )
    assert [version_of(r) for r in roadmaps] == [before[0] + 1, before[1]]  # two was archived


def test_a_rolled_back_admin_save_bumps_nothing_and_queues_nothing(
    client, editor, flask_roadmap, queued_links, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    before = version_of(flask_roadmap)

    def fail(*args, **kwargs):
        raise RuntimeError("the request failed after saving")

    monkeypatch.setattr(admin.ModelAdmin, "log_change", fail)

    def edit(data):
        data["title"] = "Never saved"
        data["resources-0-url"] = "https://never.example.com/"

    url = admin_url(Roadmap, "change", flask_roadmap.pk)
    data = change_form_data(client.get(url))
    edit(data)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        client.post(url, data)
    assert callbacks == []
    assert queued_links == []
    flask_roadmap.refresh_from_db()
    assert (flask_roadmap.title, version_of(flask_roadmap)) == ("Flask Roadmap", before)


def test_saving_an_item_directly_bumps_the_roadmap_updated_at(client, editor, flask_roadmap):
    # Replaces test_models' check on a bare topic.save(): saves no longer have side effects;
    # the admin says the change out loud.
    client.force_login(editor)
    topic = flask_roadmap.topics.first()
    yesterday = timezone.now() - timedelta(days=1)
    Roadmap.objects.filter(pk=flask_roadmap.pk).update(updated_at=yesterday)
    before = Roadmap.objects.get(pk=flask_roadmap.pk).updated_at
    post_change(client, topic, lambda data: data.update(title="Renamed"))
    assert Roadmap.objects.get(pk=flask_roadmap.pk).updated_at > before
