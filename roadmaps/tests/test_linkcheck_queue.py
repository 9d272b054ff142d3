"""Queuing link checks for the workers: saved URLs and editors' rechecks go on the broker after
the commit, in batches, only when there is a broker; and a broker that is down (a real Redis URL
on a closed loopback port) never fails the save: the URLs stay due for the next pass, and the
outage is logged once."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps.changes import roadmap_content_changed
from roadmaps.linkcheck import queue, services
from roadmaps.models import LinkStatus, Resource, Roadmap
from roadmaps.tests.celery_apps import celery_app_at, closed_loopback_port
from roadmaps.tests.factories import ResourceFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

URL = "https://docs.example.com/page/"


@pytest.fixture
def queued(monkeypatch) -> list[tuple[list[str], dict]]:
    """What would have gone to the workers: (urls, options) per batch."""
    sent: list[tuple[list[str], dict]] = []
    monkeypatch.setattr(
        "roadmaps.tasks.links_check_batch.delay", lambda urls, **kw: sent.append((urls, kw))
    )
    return sent


def test_saved_urls_are_due_without_any_request_in_the_embedded_default(
    django_capture_on_commit_callbacks, monkeypatch, queued
):
    monkeypatch.setattr(queue, "broker_enabled", lambda: False)  # the embedded default
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory(url="https://new-resource.example.com/")
        roadmap_content_changed(roadmaps=[resource.roadmap], urls=[resource.url])
    status = LinkStatus.objects.get(url="https://new-resource.example.com/")
    assert status.checked_at is None and status.next_check_at <= timezone.now()
    assert queued == []  # no broker: nothing leaves the machine


def test_with_a_broker_saved_urls_are_queued_once_in_batches_after_the_commit(
    django_capture_on_commit_callbacks, monkeypatch, queued, settings
):
    from conftest import FLASK_CONTENT
    from roadmaps.content import roadmap_import_files

    settings.LINKCHECK_BATCH_SIZE = 20
    monkeypatch.setattr(queue, "broker_enabled", lambda: True)
    roadmap_import_files([FLASK_CONTENT])  # its own on-commit work never runs in this test
    urls = sorted(set(Resource.objects.values_list("url", flat=True)))
    assert len(urls) > 20
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        roadmap_content_changed(roadmaps=Roadmap.objects.all(), urls=urls)
    assert queued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(url for batch, _ in queued for url in batch) == urls
    assert len(queued) == -(-len(urls) // 20)
    # Saving them again (URLs known and checked) queues nothing new.
    LinkStatus.objects.update(checked_at=timezone.now())
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_content_changed(roadmaps=Roadmap.objects.all(), urls=urls)
    assert queued == []


def test_recheck_marks_due_without_a_broker_and_queues_with_one(
    monkeypatch, django_capture_on_commit_callbacks, queued
):
    later = timezone.now() + timezone.timedelta(days=3)
    LinkStatus.objects.create(url=URL, result="broken", next_check_at=later)
    monkeypatch.setattr(queue, "broker_enabled", lambda: False)
    assert queue.links_queue_recheck(urls=[URL]) is False
    assert LinkStatus.objects.get().next_check_at <= timezone.now()
    monkeypatch.setattr(queue, "broker_enabled", lambda: True)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue.links_queue_recheck(urls=[URL]) is True
    assert queued == [([URL], {"force": True})]


# --- The broker is down -------------------------------------------------------------------------


@pytest.fixture
def broker_at() -> Iterator:
    """`broker_at(url)` points the tasks at a real broker URL for the rest of the test (see
    celery_apps), with a fresh outage state."""
    saved_outage = queue.outage
    queue.outage = queue.BrokerOutage()
    with contextlib.ExitStack() as stack:
        yield lambda url: stack.enter_context(celery_app_at(url))
    queue.outage = saved_outage


def test_a_broker_that_is_down_leaves_saved_urls_due_and_logs_the_outage_once(
    broker_at, caplog, django_capture_on_commit_callbacks, settings
):
    settings.LINKCHECK_BATCH_SIZE = 2
    broker_at(f"redis://127.0.0.1:{closed_loopback_port()}/0")
    assert queue.broker_enabled()
    first = [f"https://first{i}.example.com/" for i in range(5)]
    second = ["https://second.example.com/"]
    caplog.set_level(logging.DEBUG, logger=queue.__name__)
    for urls in (first, second):  # two saves during the outage
        with django_capture_on_commit_callbacks(execute=True):  # raising here would be a 500
            roadmap_content_changed(roadmaps=[], urls=urls)
    records = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == queue.__name__]
    # One warning for the outage (not per save, batch or URL), then one quiet line per save:
    # a save stops at its first failed batch instead of waiting on the dead broker for each.
    assert [level for level, _ in records] == ["WARNING", "DEBUG"]
    assert "broker is unreachable" in records[0][1] and "5 URL(s) stay due" in records[0][1]
    # Nothing is lost: every URL is due, and the next pass checks them first.
    rows = LinkStatus.objects.filter(url__in=first + second)
    assert rows.count() == 6
    assert all(row.checked_at is None and row.next_check_at <= timezone.now() for row in rows)
    ResourceFactory(url=first[0])
    assert services.links_due() == [first[0]]


def test_a_recheck_while_the_broker_is_down_stays_due_and_queuing_resumes_when_it_is_back(
    broker_at, caplog, django_capture_on_commit_callbacks
):
    later = timezone.now() + timezone.timedelta(days=3)
    LinkStatus.objects.create(url=URL, result="broken", next_check_at=later)
    broker_at(f"redis://127.0.0.1:{closed_loopback_port()}/0")
    caplog.set_level(logging.INFO, logger=queue.__name__)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue.links_queue_recheck(urls=[URL]) is True
    assert LinkStatus.objects.get().next_check_at <= timezone.now()
    # The broker is back (an in-memory one here): the next save is queued, and that is said once.
    broker_at("memory://")
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_content_changed(roadmaps=[], urls=["https://back.example.com/"])
    records = [r for r in caplog.records if r.name == queue.__name__]
    assert [r.levelname for r in records] == ["WARNING", "INFO"]
    assert "answers again" in records[-1].getMessage()


def test_saving_a_resource_in_the_admin_while_the_broker_is_down_succeeds(
    broker_at, client, editor, django_capture_on_commit_callbacks
):
    roadmap = RoadmapFactory()
    broker_at(f"redis://127.0.0.1:{closed_loopback_port()}/0")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):  # the link check is queued on commit
        response = client.post(
            reverse("admin:roadmaps_resource_add"),
            {
                "roadmap": roadmap.pk,
                "position": 0,
                "kind": "article",
                "title": "Saved while Redis is down",
                "url": "https://saved-offline.example.com/",
                "language": "en",
            },
        )
    assert response.status_code == 302
    status = LinkStatus.objects.get(url="https://saved-offline.example.com/")
    assert status.checked_at is None and status.next_check_at <= timezone.now()
