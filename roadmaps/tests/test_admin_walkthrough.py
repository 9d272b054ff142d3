"""Fixes from the admin walk-through: what editors see on the roadmap list, the item page and
link health, pinned so they stay fixed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roadmaps.models import LinkStatus, Resource, Roadmap, Topic
from roadmaps.tests.factories import RoadmapFactory

pytestmark = pytest.mark.django_db


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:roadmaps_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("roadmaps", [3, 100])
def test_roadmap_list_is_a_fixed_number_of_queries(
    roadmaps, client, editor, make_roadmap, django_assert_num_queries
):
    make_roadmap(slug="big", phases=4, sections=3, topics=120)
    RoadmapFactory.create_batch(roadmaps - 1)
    client.force_login(editor)
    # Session, user, the user's and group permissions (2), the count for the paginator, the
    # full count, the page of roadmaps with phase, item and broken-link counts as subqueries,
    # and the category filter's choices: 8 whatever the number or size of the roadmaps.
    with django_assert_num_queries(8):
        response = client.get(admin_url(Roadmap, "changelist"))
    assert response.status_code == 200
    assert response.content.decode().count('class="field-status"') == min(roadmaps, 100)


def test_roadmap_list_counts_are_right(client, editor, make_roadmap):
    roadmap = make_roadmap(slug="counted", phases=2, sections=2, topics=10)
    Topic.objects.filter(key="item-0").update(retired_at="2026-01-01T00:00Z", section=None)
    url = Resource.objects.filter(roadmap=roadmap).first().url
    LinkStatus.objects.create(url=url, result="broken", confirmed_broken=True)
    client.force_login(editor)
    page = client.get(admin_url(Roadmap, "changelist")).content.decode()
    assert '<td class="field-phase_count">2</td>' in page
    assert '<td class="field-topic_count">9</td>' in page
    assert "1 broken link</a>" in page


def test_slug_help_text_shows_an_address(client, editor):
    client.force_login(editor)
    page = client.get(admin_url(Roadmap, "add")).content.decode()
    assert "the slug &#x27;flask&#x27; gives /roadmaps/flask/" in page or (
        "the slug 'flask' gives /roadmaps/flask/" in page
    )
    assert "/roadmaps//" not in page


def test_resource_language_is_a_list(client, editor, flask_roadmap):
    Resource.objects.filter(pk=Resource.objects.first().pk).update(language="ja")
    client.force_login(editor)
    topic = Topic.objects.filter(resources__isnull=False).first()
    page = client.get(admin_url(Topic, "change", topic.pk)).content.decode()
    assert '<select name="resources-0-language"' in page
    assert '<option value="hi">Hindi (hi)</option>' in page
    # A code the list does not name is offered too, so saving never changes it.
    resource_page = client.get(
        admin_url(Resource, "change", Resource.objects.get(language="ja").pk)
    ).content.decode()
    assert '<option value="ja" selected>JA (ja)</option>' in resource_page
    # The item page carries the admin's own stylesheet that keeps the resource table in view.
    assert "roadmaps/admin.css" in page


def test_link_health_says_yes_only_where_confirmed_broken(client, editor):
    LinkStatus.objects.create(url="https://ok.example.com/", result="ok")
    LinkStatus.objects.create(
        url="https://gone.example.com/", result="broken", confirmed_broken=True
    )
    client.force_login(editor)
    page = client.get(reverse("admin:roadmaps_linkstatus_changelist")).content.decode()
    assert "icon-no.svg" not in page and "icon-yes.svg" not in page
    assert page.count('<td class="field-broken_flag">yes</td>') == 1
    assert page.count('<td class="field-broken_flag">-</td>') == 1
