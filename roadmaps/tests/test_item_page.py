"""An item's own page and the panel fragment the roadmap page opens (roadmaps.items)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from common.site import absolute_url
from roadmaps.models import Roadmap
from roadmaps.tests.factories import (
    PhaseFactory,
    ResourceFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap():
    roadmap = RoadmapFactory(slug="demo", title="Demo")
    phase = PhaseFactory(roadmap=roadmap, position=0, title="Basics")
    section = SectionFactory(phase=phase, position=0, title="First steps")
    TopicFactory(section=section, position=0, key="first", title="First")
    middle = TopicFactory(
        section=section,
        position=1,
        key="middle",
        title="Middle <item>",
        body="## Why\n\nBecause **it matters**.\n\n<script>alert(1)</script>",
    )
    TopicFactory(section=section, position=2, key="last", title="Last")
    ResourceFactory(roadmap=roadmap, topic=middle, title="Docs", url="https://docs.example/")
    return roadmap


def item_url(key: str, slug: str = "demo") -> str:
    return reverse("roadmaps:item", kwargs={"slug": slug, "key": key})


def pressed(html: str) -> set[str]:
    return set(re.findall(r'<button name="([\w-]+)" value="n" aria-pressed="true"', html))


def test_anonymous_item_page_shows_the_item_its_place_and_neighbours(
    client, roadmap, django_assert_max_num_queries
):
    # roadmap, item with section and phase, resources, keys in order; the rest is the session
    # and the learner's (empty) progress.
    with django_assert_max_num_queries(8):
        response = client.get(item_url("middle"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert '<h1 class="item-view__title" id="item-view-title">Middle &lt;item&gt;</h1>' in html
    assert "<h3>Why</h3>" in html and "<strong>it matters</strong>" in html
    assert "<script>alert(1)" not in html
    assert f'<link rel="canonical" href="{absolute_url(item_url("middle"))}">' in html
    assert "Phase 0: Basics" in html and "First steps" in html
    assert f'rel="prev" href="{item_url("first")}"' in html
    assert f'rel="next" href="{item_url("last")}"' in html
    assert 'href="https://docs.example/"' in html
    assert 'action="/progress/demo/items/"' in html
    assert f'name="next" value="{item_url("middle")}"' in html
    assert "Sign in</a> to suggest a resource" in html
    assert pressed(html) == set()


def test_first_and_last_items_have_one_neighbour(client, roadmap):
    first = client.get(item_url("first")).content.decode()
    assert 'rel="prev"' not in first and f'rel="next" href="{item_url("middle")}"' in first
    last = client.get(item_url("last")).content.decode()
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_signed_in_learner_sees_their_status_and_nobody_elses(client, learner, roadmap):
    from accounts.tests.factories import UserFactory
    from progress.services import progress_set_many

    progress_set_many(user=learner, roadmap=roadmap, statuses={"middle": "done"})
    client.force_login(learner)
    html = client.get(item_url("middle")).content.decode()
    assert pressed(html) == {"middle"}
    assert '<button name="middle" value="n" aria-pressed="true">Done</button>' in html
    assert "Send suggestion" in html
    client.force_login(UserFactory())
    assert pressed(client.get(item_url("middle")).content.decode()) == set()


def test_marking_on_the_item_page_returns_to_it(client, learner, roadmap):
    client.force_login(learner)
    response = client.post(
        "/progress/demo/items/", {"middle": "in_progress", "next": item_url("middle")}
    )
    assert response.status_code == 302
    assert response["Location"] == item_url("middle")
    assert pressed(client.get(item_url("middle")).content.decode()) == {"middle"}


def test_marking_never_returns_anywhere_but_the_items_page(client, learner, roadmap):
    client.force_login(learner)
    response = client.post(
        "/progress/demo/items/", {"middle": "done", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/roadmaps/demo/#topic-middle"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(item_url("nope"), id="unknown-key"),
        pytest.param(item_url("first", slug="nope"), id="unknown-roadmap"),
        pytest.param("/roadmaps/demo/items/nope/panel/", id="unknown-key-panel"),
    ],
)
def test_unknown_items_are_404(client, roadmap, url):
    assert client.get(url).status_code == 404


def test_retired_items_are_404(client, roadmap):
    from django.utils import timezone

    roadmap.topics.filter(key="last").update(retired_at=timezone.now(), section=None)
    assert client.get(item_url("last")).status_code == 404


def test_a_draft_roadmaps_items_are_404_for_learners_and_shown_to_editors(
    client, learner, editor, roadmap
):
    Roadmap.objects.filter(pk=roadmap.pk).update(status=Roadmap.Status.DRAFT)
    assert client.get(item_url("middle")).status_code == 404
    client.force_login(learner)
    assert client.get(item_url("middle")).status_code == 404
    assert client.get("/roadmaps/demo/items/middle/panel/").status_code == 404
    client.force_login(editor)
    html = client.get(item_url("middle")).content.decode()
    assert '<meta name="robots" content="noindex">' in html


def test_the_panel_is_the_item_alone(client, learner, roadmap):
    client.force_login(learner)
    response = client.get("/roadmaps/demo/items/middle/panel/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "<html" not in html and "site-header" not in html
    assert '<article class="item-view item-view--topic"' in html
    assert '<h2 class="item-view__title" id="item-view-title">Middle &lt;item&gt;</h2>' in html
    assert "<h3>Why</h3>" in html
    assert "Phase 0: Basics · First steps" in html
    assert 'id="suggest-url"' in html  # the form's ids cannot meet the roadmap page's


def test_the_roadmap_page_links_each_title_and_leaves_bodies_out(client, roadmap):
    html = client.get("/roadmaps/demo/").content.decode()
    # Relative to the page (a few bytes per item on a 173-item page), resolving to the item page.
    assert '<a href="items/middle/">Middle &lt;item&gt;</a>' in html
    assert urljoin("/roadmaps/demo/", "items/middle/") == item_url("middle")
    assert "it matters" not in html
    assert "js/items.js" in html
    assert html.rstrip().endswith("</html>")


@pytest.mark.parametrize("topics", [20, 400])
def test_the_item_page_costs_the_same_queries_whatever_the_roadmaps_size(
    client, learner, make_roadmap, topics, django_assert_num_queries
):
    roadmap = make_roadmap(slug=f"size-{topics}", phases=4, sections=3, topics=topics)
    key = roadmap.topics.order_by("pk").values_list("key", flat=True)[topics // 2]
    client.force_login(learner)
    client.get(item_url(key, slug=roadmap.slug))  # the session is read and saved once
    # session, user, roadmap, item with section and phase, its resources, the keys in order;
    # the learner's statuses are kept for their progress version (progress.summaries).
    with django_assert_num_queries(6):
        response = client.get(item_url(key, slug=roadmap.slug))
    assert response.status_code == 200
