"""The editors' side of link checking: Link health, badges, broken-link counts, actions."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import LinkStatus
from roadmaps.tests.factories import ResourceFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:roadmaps_linkstatus_changelist"


def broken(url: str, **extra) -> LinkStatus:
    return LinkStatus.objects.create(
        url=url,
        result="broken",
        http_status=404,
        error="HTTP 404",
        confirmed_broken=True,
        confirmed_at=timezone.now(),
        checked_at=timezone.now(),
        **extra,
    )


@pytest.fixture
def two_roadmaps(db):
    flask = RoadmapFactory(slug="flask", title="Flask")
    django = RoadmapFactory(slug="django", title="Django")
    ResourceFactory(roadmap=flask, url="https://a.example.com/", title="A docs")
    ResourceFactory(roadmap=flask, url="https://b.example.com/")
    ResourceFactory(roadmap=django, url="https://b.example.com/")
    ResourceFactory(roadmap=django, url="https://c.example.com/")
    broken("https://a.example.com/")
    LinkStatus.objects.create(
        url="https://b.example.com/",
        result="redirected",
        http_status=200,
        suggestion="https://b.example.com/new/",
        redirect_chain=[
            {"url": "https://b.example.com/", "status": 301},
            {"url": "https://b.example.com/new/", "status": 200},
        ],
    )
    LinkStatus.objects.create(url="https://c.example.com/", result="ok", http_status=200)
    return flask, django


def test_editor_sees_link_health_filtered_by_result_and_roadmap(client, editor, two_roadmaps):
    client.force_login(editor)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "Link health" in page
    assert all(f"https://{h}.example.com/" in page for h in "abc")
    by_result = client.get(reverse(CHANGELIST), {"result__exact": "broken"}).content.decode()
    assert "https://a.example.com/" in by_result and "https://c.example.com/" not in by_result
    by_roadmap = client.get(reverse(CHANGELIST), {"roadmap": "django"}).content.decode()
    assert "https://c.example.com/" in by_roadmap and "https://a.example.com/" not in by_roadmap


def test_evidence_page_shows_chain_suggestion_and_users(client, editor, two_roadmaps):
    client.force_login(editor)
    status = LinkStatus.objects.get(url="https://b.example.com/")
    page = client.get(reverse("admin:roadmaps_linkstatus_change", args=[status.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "https://b.example.com/new/" in text  # suggestion and last hop
    assert "&rarr; 301" in text or "→ 301" in text
    assert text.count("/admin/roadmaps/resource/") >= 2  # used by two resources


def test_learner_is_kept_out_of_link_health(client, learner, two_roadmaps):
    client.force_login(learner)
    assert client.get(reverse(CHANGELIST)).status_code == 302


def test_nobody_adds_link_status_rows_by_hand(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:roadmaps_linkstatus_add")).status_code == 403


def test_urls_are_escaped(client, editor):
    client.force_login(editor)
    ResourceFactory(url="https://x.example.com/")
    LinkStatus.objects.create(url='https://x.example.com/"><script>alert(1)</script>', result="ok")
    text = client.get(reverse(CHANGELIST)).content.decode()
    assert "<script>alert(1)</script>" not in text


def _post_action(client, action: str, statuses) -> str:
    response = client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [s.pk for s in statuses]},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_recheck_without_a_worker_marks_due(client, editor, two_roadmaps, monkeypatch):
    from roadmaps.linkcheck import queue

    monkeypatch.setattr(queue, "broker_enabled", lambda: False)  # the embedded default
    client.force_login(editor)
    status = LinkStatus.objects.get(url="https://c.example.com/")
    LinkStatus.objects.filter(pk=status.pk).update(
        next_check_at=timezone.now() + timezone.timedelta(days=5)
    )
    text = _post_action(client, "recheck_now", [status])
    assert "manage.py check_links" in text
    status.refresh_from_db()
    assert status.next_check_at <= timezone.now()


def test_accept_as_ok_shows_the_resource_again(client, editor, learner, two_roadmaps):
    from roadmaps.models import Resource

    client.force_login(editor)
    assert Resource.objects.visible_to(learner).count() == 3
    status = LinkStatus.objects.get(url="https://a.example.com/")
    _post_action(client, "accept_as_ok", [status])
    status.refresh_from_db()
    assert status.override == "accepted"
    assert Resource.objects.visible_to(learner).count() == 4
    _post_action(client, "ignore_links", [status])
    status.refresh_from_db()
    assert status.override == "ignored"
    _post_action(client, "clear_decision", [status])
    status.refresh_from_db()
    assert status.override == ""


def test_resource_list_shows_badges_and_roadmaps_count_broken_links(client, editor, two_roadmaps):
    client.force_login(editor)
    resources = client.get(reverse("admin:roadmaps_resource_changelist")).content.decode()
    assert "broken (hidden)" in resources and ">redirected<" in resources
    roadmaps = client.get(reverse("admin:roadmaps_roadmap_changelist")).content.decode()
    assert "1 broken link<" in roadmaps
    flask, _ = two_roadmaps
    change = client.get(reverse("admin:roadmaps_roadmap_change", args=[flask.pk]))
    assert "1 broken link<" in change.content.decode()


@pytest.mark.parametrize("size", [3, 40])
def test_link_health_changelist_queries_are_pinned(size, client, editor, django_assert_num_queries):
    client.force_login(editor)
    roadmap = RoadmapFactory()
    for index in range(size):
        ResourceFactory(roadmap=roadmap, url=f"https://s{index}.example.com/")
        broken(f"https://s{index}.example.com/")
    # Session, user, user and group permissions, the roadmap filter's choices, the total and
    # filtered counts, and one page of rows with their resource counts as a subquery.
    with django_assert_num_queries(8):
        assert client.get(reverse(CHANGELIST)).status_code == 200


def test_recheck_with_a_worker_queues_the_check(
    client, editor, two_roadmaps, monkeypatch, django_capture_on_commit_callbacks
):
    from roadmaps.linkcheck import queue

    queued = []
    monkeypatch.setattr(queue, "broker_enabled", lambda: True)
    monkeypatch.setattr(
        "roadmaps.tasks.links_check_batch.delay", lambda urls, **kw: queued.append((urls, kw))
    )
    client.force_login(editor)
    status = LinkStatus.objects.get(url="https://c.example.com/")
    with django_capture_on_commit_callbacks(execute=True):
        text = _post_action(client, "recheck_now", [status])
    assert "queued for a check now" in text
    assert queued == [(["https://c.example.com/"], {"force": True})]
