"""common/row_watch.py with the roadmaps table: stamps kept per process while PostgreSQL
reports no write.

The first tests run on any database (the watch stays out of the way); the rest are the service
tier, with committed writes (a rolled-back test transaction would never notify) and a watch of
their own, so the process-wide one is left as the settings have it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.test import Client

from common import row_watch
from common.row_watch import RowWatch
from roadmapfinder.tests.test_database_down import (
    database_refusing_connections,
    terminate_other_backends,
)
from roadmaps.models import Roadmap
from roadmaps.tests.factories import RoadmapFactory

DELIVERY_DEADLINE_SECONDS = 5.0  # how long a test waits for a notification: never a speed claim


class Counted:
    """A stamp query that counts how often it is asked."""

    def __init__(self, value: object = "stamp-1") -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_without_listening_every_read_queries(settings: object) -> None:
    settings.LISTEN_FOR_WRITES = False  # type: ignore[attr-defined]
    watch, query = RowWatch(), Counted()
    assert [watch.read("stamps", "key", query) for _ in range(3)] == ["stamp-1"] * 3
    assert query.calls == 3
    assert not watch.listening


@pytest.fixture
def watch(settings: object, require_postgres: None) -> Iterator[RowWatch]:
    settings.LISTEN_FOR_WRITES = True  # type: ignore[attr-defined]
    watch = RowWatch()
    yield watch
    watch.close()


def bump(roadmap: Roadmap) -> None:
    Roadmap.objects.filter(pk=roadmap.pk).bump_content_version()


def read_until_asked(watch: RowWatch, query: Counted, calls: int) -> bool:
    """Read until the watch asks the database `calls` times (a notification arrived)."""
    deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        watch.read("stamps", "key", query)
        if query.calls >= calls:
            return True
        time.sleep(0.005)
    return False


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
class TestListening:
    @pytest.fixture(autouse=True)
    def _no_recheck(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Only notifications may make the watch ask again in these tests.
        monkeypatch.setattr(row_watch, "RECHECK_SECONDS", 3600.0)

    def test_a_kept_stamp_is_read_without_asking(self, watch: RowWatch) -> None:
        query = Counted()
        assert watch.read("stamps", "key", query) == "stamp-1"
        assert [watch.read("stamps", "key", query) for _ in range(5)] == ["stamp-1"] * 5
        assert query.calls == 1
        assert watch.listening

    @pytest.mark.parametrize(
        "write",
        [
            pytest.param(bump, id="bump"),
            pytest.param(
                lambda r: Roadmap.objects.filter(pk=r.pk).update(title="New"), id="update"
            ),
            pytest.param(lambda r: RoadmapFactory(), id="insert"),
            pytest.param(lambda r: r.delete(), id="delete"),
            pytest.param(lambda r: Roadmap.objects.filter(pk=-1).update(title="x"), id="no-rows"),
        ],
    )
    def test_any_committed_write_to_roadmaps_makes_it_ask_again(
        self, watch: RowWatch, write: object
    ) -> None:
        roadmap = RoadmapFactory()
        query = Counted()
        watch.read("stamps", "key", query)
        write(roadmap)  # type: ignore[operator]
        assert read_until_asked(watch, query, 2), "no notification reached the watch"

    def test_a_rolled_back_write_keeps_the_stamp(self, watch: RowWatch) -> None:
        roadmap = RoadmapFactory()
        query = Counted()
        watch.read("stamps", "key", query)
        with pytest.raises(RuntimeError), transaction.atomic():
            Roadmap.objects.filter(pk=roadmap.pk).bump_content_version()
            raise RuntimeError("roll back")
        for _ in range(20):
            watch.read("stamps", "key", query)
            time.sleep(0.01)
        assert query.calls == 1
        # The watch was listening all along: a committed write is heard.
        Roadmap.objects.filter(pk=roadmap.pk).bump_content_version()
        assert read_until_asked(watch, query, 2)

    def test_inside_a_transaction_it_always_asks(self, watch: RowWatch) -> None:
        query = Counted()
        watch.read("stamps", "key", query)
        with transaction.atomic():
            watch.read("stamps", "key", query)
            watch.read("stamps", "key", query)
        assert query.calls == 3

    def test_a_value_read_while_a_write_arrived_is_not_kept(self, watch: RowWatch) -> None:
        roadmap = RoadmapFactory()
        watch.read("stamps", "warm", Counted())

        def query_during_a_write() -> str:
            Roadmap.objects.filter(pk=roadmap.pk).bump_content_version()
            time.sleep(0.05)  # the notification is on the socket before the value is kept
            watch._lock.acquire()
            try:
                watch._poll()
            finally:
                watch._lock.release()
            return "read-before-the-write"

        assert watch.read("stamps", "key", query_during_a_write) == "read-before-the-write"
        fresh = Counted("stamp-after")
        assert watch.read("stamps", "key", fresh) == "stamp-after"
        assert fresh.calls == 1

    def test_a_killed_listener_means_asking_until_it_listens_again(
        self, watch: RowWatch, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        query = Counted()
        watch.read("stamps", "key", query)
        terminate_other_backends()  # the listener's backend among them
        time.sleep(0.1)
        watch.read("stamps", "key", query)  # the loss is noticed: asked, nothing kept
        watch.read("stamps", "key", query)  # not listening yet (RECONNECT_SECONDS): asked again
        assert query.calls == 3
        assert not watch.listening
        monkeypatch.setattr(row_watch, "RECONNECT_SECONDS", 0.0)
        watch._connect_at = 0.0
        watch.read("stamps", "key", query)  # listens again, reads anew (a write may be missed)
        watch.read("stamps", "key", query)
        assert query.calls == 4
        assert watch.listening

    def test_a_database_refusing_connections_costs_a_query_not_an_error(
        self, watch: RowWatch
    ) -> None:
        query = Counted()
        connection.ensure_connection()  # the test's own connection stays open
        with database_refusing_connections():
            assert watch.read("stamps", "key", query) == "stamp-1"
            assert watch.read("stamps", "key", query) == "stamp-1"
        assert query.calls == 2
        assert not watch.listening


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_stored_page_from_memory_then_the_edit_on_the_next_request(
    watch: RowWatch,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: object,
    make_roadmap: object,
) -> None:
    """The early path with the watch: no query at all for a stored page, and a committed edit
    on the page as soon as its notification is read (the test waits only for delivery)."""
    from roadmaps import pages

    monkeypatch.setattr(pages, "WATCH", watch)
    published_roadmap = make_roadmap(phases=1, sections=1, topics=2)  # type: ignore[operator]
    client = Client()
    url = published_roadmap.get_absolute_url()
    assert client.get(url).status_code == 200  # rendered and stored
    client.get(url)  # the stamp kept
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert client.get(url).status_code == 200
    Roadmap.objects.filter(pk=published_roadmap.pk).update(title="Renamed for the watch")
    Roadmap.objects.filter(pk=published_roadmap.pk).bump_content_version()
    deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
    while b"Renamed for the watch" not in client.get(url).content:
        assert time.monotonic() < deadline, "the edit never showed"
        time.sleep(0.005)
    assert connection.vendor == "postgresql"
