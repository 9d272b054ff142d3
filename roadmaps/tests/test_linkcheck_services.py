"""Recording verdicts, confirmation over time, leases, due order, passes, the save hook, the
editors' digest and the `check_links` command (against local servers on 127.0.0.1)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from roadmaps.changes import roadmap_content_changed
from roadmaps.linkcheck import services
from roadmaps.linkcheck.checker import LinkOutcome
from roadmaps.models import LinkStatus, Resource, Roadmap
from roadmaps.tests.factories import ResourceFactory, RoadmapFactory
from roadmaps.tests.linkcheck_servers import FakeWeb

pytestmark = pytest.mark.django_db


@pytest.fixture
def web():
    server = FakeWeb().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _local_only(settings):
    """Checks in these tests may reach 127.0.0.1 only, quickly."""
    settings.LINKCHECK_ALLOW_PRIVATE_NETWORKS = True
    settings.LINKCHECK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.LINKCHECK_RETRIES = 0
    settings.LINKCHECK_READ_TIMEOUT = 2.0
    settings.LINKCHECK_JITTER = 0.0


def outcome(url: str, result: str, **extra) -> LinkOutcome:
    return LinkOutcome(url=url, result=result, **extra)


URL = "https://docs.example.com/page/"


def test_first_broken_check_is_evidence_not_confirmation(learner):
    ResourceFactory(url=URL)
    status = services.link_record(outcome=outcome(URL, "broken", http_status=404))
    assert (status.result, status.consecutive_failures, status.confirmed_broken) == (
        "broken",
        1,
        False,
    )
    assert Resource.objects.visible_to(learner).count() == 1


def test_broken_on_three_checks_over_two_days_is_confirmed_and_hidden(learner, editor):
    resource = ResourceFactory(url=URL)
    start = timezone.now() - timedelta(hours=50)
    for hours in (0, 24, 49):
        status = services.link_record(
            outcome=outcome(URL, "broken", http_status=404), now=start + timedelta(hours=hours)
        )
    assert status.confirmed_broken and status.confirmed_at == start + timedelta(hours=49)
    assert list(Resource.objects.visible_to(learner)) == []
    shown = Resource.objects.visible_to(editor).with_link_status().get()
    assert (shown.pk, shown.link_result, shown.link_broken) == (resource.pk, "broken", True)
    # It works again: restored at once.
    services.link_record(outcome=outcome(URL, "ok", http_status=200))
    assert list(Resource.objects.visible_to(learner)) == [resource]
    status.refresh_from_db()
    assert (status.confirmed_broken, status.consecutive_failures) == (False, 0)


def test_hiding_or_restoring_a_link_bumps_its_roadmap_so_caches_follow():
    resource = ResourceFactory(url=URL)
    Roadmap.objects.filter(pk=resource.roadmap_id).update(
        updated_at=timezone.now() - timedelta(days=9)
    )

    def updated_at():
        return Roadmap.objects.get(pk=resource.roadmap_id).updated_at

    start = timezone.now() - timedelta(hours=50)
    services.link_record(outcome=outcome(URL, "broken", http_status=404), now=start)
    before = updated_at()  # evidence only: nothing learners see changed
    assert before < timezone.now() - timedelta(days=8)
    for hours in (24, 49):
        services.link_record(
            outcome=outcome(URL, "broken", http_status=404), now=start + timedelta(hours=hours)
        )
    hidden_at = updated_at()
    assert hidden_at > before
    services.links_override(urls=[URL], override="accepted")
    assert updated_at() > hidden_at


def test_many_failures_within_one_bad_hour_are_not_confirmed():
    ResourceFactory(url=URL)
    start = timezone.now() - timedelta(hours=1)
    for minutes in range(0, 60, 10):
        status = services.link_record(
            outcome=outcome(URL, "broken"), now=start + timedelta(minutes=minutes)
        )
    assert status.consecutive_failures == 6
    assert not status.confirmed_broken


def test_flapping_link_is_never_confirmed(learner):
    ResourceFactory(url=URL)
    start = timezone.now() - timedelta(days=10)
    for day in range(10):
        result = "broken" if day % 2 == 0 else "ok"
        status = services.link_record(outcome=outcome(URL, result), now=start + timedelta(days=day))
        assert not status.confirmed_broken
    assert Resource.objects.visible_to(learner).count() == 1


def test_unknown_neither_counts_nor_resets_failures():
    ResourceFactory(url=URL)
    start = timezone.now() - timedelta(hours=60)
    services.link_record(outcome=outcome(URL, "broken"), now=start)
    services.link_record(outcome=outcome(URL, "unknown"), now=start + timedelta(hours=12))
    services.link_record(outcome=outcome(URL, "broken"), now=start + timedelta(hours=24))
    status = services.link_record(outcome=outcome(URL, "broken"), now=start + timedelta(hours=50))
    assert status.consecutive_failures == 3 and status.confirmed_broken


def test_next_check_comes_sooner_for_failures_than_for_ok(settings):
    now = timezone.now()
    delays = {}
    for result in ("ok", "redirected", "broken", "unknown", "blocked"):
        url = f"https://{result}.example.com/"
        status = services.link_record(outcome=outcome(url, result), now=now)
        delays[result] = status.next_check_at - now
    assert delays["broken"] == timedelta(hours=24)  # 48 h window / (3 - 1) checks
    assert delays["unknown"] == timedelta(hours=12)
    assert delays["ok"] == delays["redirected"] == timedelta(hours=168)


def test_retry_after_pushes_the_next_check_back():
    now = timezone.now()
    status = services.link_record(
        outcome=outcome(URL, "unknown", http_status=429, retry_after=86400 * 2), now=now
    )
    assert status.next_check_at == now + timedelta(days=2)


def test_due_order_never_checked_then_failing_then_ok():
    now = timezone.now()
    past = now - timedelta(hours=1)
    for name in ("new", "broken", "unknown", "ok", "future", "ignored", "unused", "leased"):
        ResourceFactory(url=f"https://{name}.example.com/") if name != "unused" else None

    def row(name: str, **fields) -> LinkStatus:
        return LinkStatus(url=f"https://{name}.example.com/", **fields)

    checked = {"checked_at": past, "next_check_at": past}
    LinkStatus.objects.bulk_create(
        [
            row("ok", result="ok", checked_at=past, next_check_at=past - timedelta(hours=2)),
            row("broken", result="broken", **checked),
            row("unknown", result="unknown", **checked),
            row("new", next_check_at=now),
            row("future", result="ok", checked_at=past, next_check_at=now + timedelta(days=1)),
            row("ignored", override="ignored", next_check_at=past),
            row("unused", next_check_at=past),
            row("leased", next_check_at=past, lease_until=now + timedelta(minutes=5)),
        ]
    )
    due = services.links_due(now=now)
    assert due[0] == "https://new.example.com/"
    assert set(due[1:3]) == {"https://broken.example.com/", "https://unknown.example.com/"}
    assert due[3:] == ["https://ok.example.com/"]
    everything = services.links_due(now=now, include_all=True)
    assert "https://future.example.com/" in everything
    assert "https://ignored.example.com/" not in everything


def test_spread_hosts_interleaves_sites():
    urls = [f"https://a.example/{i}" for i in range(3)] + ["https://b.example/0"]
    assert services.spread_hosts(urls) == [
        "https://a.example/0",
        "https://b.example/0",
        "https://a.example/1",
        "https://a.example/2",
    ]


def test_a_lease_is_exclusive_until_it_expires():
    now = timezone.now()
    LinkStatus.objects.create(url=URL, next_check_at=now)
    first_token, first = services.links_lease(urls=[URL], seconds=60, now=now)
    _, second = services.links_lease(urls=[URL], seconds=60, now=now)
    assert (first, second) == ([URL], [])
    # The first checker died: after the lease expires another one takes over...
    later = now + timedelta(seconds=61)
    second_token, third = services.links_lease(urls=[URL], seconds=60, now=later)
    assert third == [URL]
    # ...and a late verdict from the dead one is not recorded over the live lease.
    assert services.link_record(outcome=outcome(URL, "ok"), token=first_token, now=later) is None
    assert services.link_record(outcome=outcome(URL, "ok"), token=second_token, now=later)


def test_a_url_already_checked_is_not_due_for_a_redelivered_batch():
    LinkStatus.objects.create(url=URL, next_check_at=timezone.now())
    token, _ = services.links_lease(urls=[URL])
    services.link_record(outcome=outcome(URL, "ok"), token=token)
    assert services.links_lease(urls=[URL])[1] == []
    assert services.links_lease(urls=[URL], only_due=False)[1] == [URL]  # recheck now


def test_saving_a_resource_schedules_its_url_without_any_request(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "broker_enabled", lambda: False)  # the embedded default
    queued = []
    monkeypatch.setattr("roadmaps.tasks.links_check_batch.delay", lambda *a, **k: queued.append(a))
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory(url="https://new-resource.example.com/")
        # What every writer (admin, importer) says after saving resources.
        roadmap_content_changed(roadmaps=[resource.roadmap_id], urls=[resource.url])
    status = LinkStatus.objects.get(url="https://new-resource.example.com/")
    assert status.checked_at is None and status.next_check_at <= timezone.now()
    assert queued == []  # embedded default: no broker, nothing leaves the machine


def test_with_a_broker_an_import_queues_its_urls_once_in_batches(
    db, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from conftest import FLASK_CONTENT
    from roadmaps.content import roadmap_import_files

    settings.LINKCHECK_BATCH_SIZE = 20
    queued: list[list[str]] = []
    monkeypatch.setattr(services, "broker_enabled", lambda: True)
    monkeypatch.setattr(
        "roadmaps.tasks.links_check_batch.delay", lambda urls, **kw: queued.append(urls)
    )
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_import_files([FLASK_CONTENT])
    urls = set(Resource.objects.values_list("url", flat=True))
    assert len(urls) > 20
    assert sorted(url for batch in queued for url in batch) == sorted(urls)
    assert len(queued) == -(-len(urls) // 20)
    # Saving them again (URLs known and checked) queues nothing new.
    LinkStatus.objects.update(checked_at=timezone.now())
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_import_files([FLASK_CONTENT])
        ResourceFactory(url=next(iter(urls)))
    assert queued == []


def test_recheck_marks_due_without_a_broker_and_queues_with_one(
    monkeypatch, django_capture_on_commit_callbacks
):
    later = timezone.now() + timedelta(days=3)
    LinkStatus.objects.create(url=URL, result="broken", next_check_at=later)
    monkeypatch.setattr(services, "broker_enabled", lambda: False)
    assert services.links_recheck(urls=[URL]) is False
    assert LinkStatus.objects.get().next_check_at <= timezone.now()
    queued = []
    monkeypatch.setattr(services, "broker_enabled", lambda: True)
    monkeypatch.setattr(
        "roadmaps.tasks.links_check_batch.delay", lambda urls, **kw: queued.append((urls, kw))
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.links_recheck(urls=[URL]) is True
    assert queued == [([URL], {"force": True})]


def test_accepted_link_is_shown_ok_and_never_hidden(learner):
    ResourceFactory(url=URL)
    LinkStatus.objects.create(url=URL, result="broken", confirmed_broken=True)
    assert Resource.objects.visible_to(learner).count() == 0
    services.links_override(urls=[URL], override="accepted")
    assert Resource.objects.visible_to(learner).count() == 1
    shown = Resource.objects.with_link_status().get()
    assert (shown.link_result, shown.link_broken) == ("ok", False)
    with pytest.raises(ValueError):
        services.links_override(urls=[URL], override="whatever")


@pytest.mark.parametrize("size", [5, 50])
def test_link_status_annotation_is_one_query(size, django_assert_num_queries):
    for index in range(size):
        ResourceFactory(url=f"https://site{index}.example.com/")
        LinkStatus.objects.create(url=f"https://site{index}.example.com/", result="ok")
    # One SELECT of resources with the two LinkStatus subqueries inlined, whatever the size.
    with django_assert_num_queries(1):
        rows = list(Resource.objects.with_link_status())
    assert {row.link_result for row in rows} == {"ok"}


def test_weekly_digest_lists_newly_broken_links_for_editors(editor, learner):
    roadmap = RoadmapFactory(slug="flask-x", title="Flask X")
    resource = ResourceFactory(url=URL, roadmap=roadmap, title="Flask docs")
    status = LinkStatus.objects.create(
        url=URL,
        result="broken",
        error="HTTP 404",
        confirmed_broken=True,
        confirmed_at=timezone.now() - timedelta(days=1),
        failing_since=timezone.now() - timedelta(days=3),
    )
    LinkStatus.objects.create(
        url="https://old.example.com/",
        result="broken",
        confirmed_broken=True,
        confirmed_at=timezone.now() - timedelta(days=30),
        failing_since=timezone.now() - timedelta(days=32),
    )
    ResourceFactory(url="https://old.example.com/")
    assert services.links_email_digest() == 1
    [message] = mail.outbox
    assert message.to == [editor.email]
    assert URL in message.body and "Flask docs" in message.body
    assert f"/admin/roadmaps/linkstatus/{status.pk}/change/" in message.body
    assert f"/admin/roadmaps/resource/{resource.pk}/change/" in message.body
    assert "old.example.com" not in message.body


def test_no_digest_when_nothing_broke(editor):
    assert services.links_email_digest() == 0
    assert mail.outbox == []


def test_check_links_command_checks_a_roadmap_against_local_servers(web):
    roadmap = RoadmapFactory(slug="local")
    other = RoadmapFactory(slug="other")
    web.scripts["moved"] = [(301, {"Location": "/status/200"})]
    urls = {
        "ok": web.url("/status/200"),
        "gone": web.url("/status/404"),
        "moved": web.url("/script/moved"),
    }
    for url in urls.values():
        ResourceFactory(url=url, roadmap=roadmap)
    ResourceFactory(url=web.url("/status/410"), roadmap=other)
    out = StringIO()
    call_command("check_links", "--roadmap", "local", stdout=out)
    results = dict(LinkStatus.objects.values_list("url", "result"))
    assert results[urls["ok"]] == "ok"
    assert results[urls["gone"]] == "broken"
    assert results[urls["moved"]] == "redirected"
    assert results[web.url("/status/410")] == ""  # another roadmap: not checked
    assert LinkStatus.objects.get(url=urls["moved"]).suggestion == web.url("/status/200")
    text = out.getvalue()
    assert "3/3" in text and "redirected        1" in text and "broken            1" in text
    # Nothing is due any more; --all checks again.
    out = StringIO()
    call_command("check_links", "--roadmap", "local", stdout=out)
    assert "No links are due" in out.getvalue()
    call_command("check_links", "--all", stdout=StringIO())
    assert LinkStatus.objects.get(url=urls["ok"]).check_count == 2
    assert web.count("/status/410") == 2  # HEAD, then GET to confirm


def test_check_links_refuses_an_unknown_roadmap():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No roadmap"):
        call_command("check_links", "--roadmap", "nope", stdout=StringIO())
