"""Queuing link checks for the workers: saved URLs and editors' rechecks go on the broker after
the commit, in batches, only when there is a broker."""

from __future__ import annotations

import pytest
from django.utils import timezone

from roadmaps.changes import roadmap_content_changed
from roadmaps.linkcheck import queue
from roadmaps.models import LinkStatus, Resource, Roadmap
from roadmaps.tests.factories import ResourceFactory

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
