from __future__ import annotations

import datetime as dt
import itertools
import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import EditorFactory, UserFactory
from progress.models import Progress
from progress.services import (
    InvalidStatusError,
    ProgressError,
    SessionLearner,
    TopicNotTrackableError,
    UnknownTopicError,
    learner_roadmaps,
    progress_export,
    progress_merge_session,
    progress_reset,
    progress_set,
    progress_set_many,
    roadmap_summary,
    statuses_for,
)
from roadmaps.models import Roadmap, Topic
from roadmaps.tests.factories import roadmap_generate

STATES = ["none", "done", "in_progress", "skipped"]


def topic(roadmap: Roadmap, n: int) -> Topic:
    return Topic.objects.get(roadmap=roadmap, key=f"item-{n}")


def stored(user, item: Topic) -> str:
    row = Progress.objects.filter(user=user, topic=item).first()
    return row.status if row else "none"


# --- progress_set: every transition ------------------------------------------------------


@pytest.mark.parametrize(("before", "after"), list(itertools.product(STATES, STATES)))
def test_every_transition_for_an_account(learner, roadmap, before, after):
    item = topic(roadmap, 3)
    progress_set(user=learner, topic=item, status=before)
    result = progress_set(user=learner, topic=item, status=after)

    assert stored(learner, item) == after
    assert Progress.objects.filter(user=learner).count() == (0 if after == "none" else 1)
    if after == "none":
        assert result is None
    else:
        assert result is not None and result.pk is not None and result.status == after
        assert result.roadmap_id == roadmap.pk


@pytest.mark.parametrize(("before", "after"), list(itertools.product(STATES, STATES)))
def test_every_transition_for_a_session(session, roadmap, before, after):
    learner = SessionLearner(session)
    item = topic(roadmap, 3)
    progress_set(user=learner, topic=item, status=before)
    progress_set(user=learner, topic=item, status=after)

    expected = {} if after == "none" else {"item-3": after}
    assert statuses_for(user=learner, roadmap=roadmap) == expected
    assert Progress.objects.count() == 0


def test_a_change_stamps_the_time(learner, roadmap):
    before = timezone.now()
    row = progress_set(user=learner, topic=topic(roadmap, 0), status="done")
    assert row is not None and row.updated_at >= before


@pytest.mark.parametrize("status", ["finished", "", None, "DONE", 3])
def test_an_invalid_status_is_refused_and_changes_nothing(learner, roadmap, status):
    item = topic(roadmap, 0)
    progress_set(user=learner, topic=item, status="in_progress")
    with pytest.raises(InvalidStatusError) as raised:
        progress_set(user=learner, topic=item, status=status)
    assert isinstance(raised.value, ValueError)
    assert "expected one of: done, in_progress, skipped, none" in str(raised.value)
    assert stored(learner, item) == "in_progress"


def test_draft_roadmaps_are_for_editors_only(learner, roadmap):
    Roadmap.objects.filter(pk=roadmap.pk).update(status=Roadmap.Status.DRAFT)
    item = topic(roadmap, 0)
    with pytest.raises(TopicNotTrackableError, match="not published"):
        progress_set(user=learner, topic=item, status="done")
    assert not Progress.objects.exists()

    editor = EditorFactory()
    progress_set(user=editor, topic=topic(roadmap, 0), status="done")
    assert stored(editor, item) == "done"


def test_retired_topics_cannot_change_but_keep_their_progress(learner, roadmap):
    item = topic(roadmap, 0)
    progress_set(user=learner, topic=item, status="done")
    Topic.objects.filter(pk=item.pk).update(retired_at=timezone.now(), section=None)
    item.refresh_from_db()

    with pytest.raises(TopicNotTrackableError, match="removed from this edition"):
        progress_set(user=learner, topic=item, status="none")
    assert stored(learner, item) == "done"

    summary = roadmap_summary(user=learner, roadmap=roadmap)
    assert [ref.key for ref in summary.retired] == ["item-0"]
    assert summary.items.total == 19 and summary.items.done == 0


def test_anonymous_users_have_no_progress(roadmap):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ProgressError):
        progress_set(user=AnonymousUser(), topic=topic(roadmap, 0), status="done")


def test_learners_do_not_see_each_others_progress(learner, other_learner, roadmap):
    progress_set(user=learner, topic=topic(roadmap, 0), status="done")
    progress_set(user=other_learner, topic=topic(roadmap, 1), status="skipped")

    assert statuses_for(user=learner, roadmap=roadmap) == {"item-0": "done"}
    assert statuses_for(user=other_learner, roadmap=roadmap) == {"item-1": "skipped"}
    assert roadmap_summary(user=other_learner, roadmap=roadmap).items.done == 0


# --- progress_set_many ----------------------------------------------------------------------


def test_set_many_applies_everything(learner, roadmap):
    progress_set(user=learner, topic=topic(roadmap, 5), status="done")
    count = progress_set_many(
        user=learner,
        roadmap=roadmap,
        statuses={"item-0": "done", "item-1": "in_progress", "item-2": "skipped", "item-5": "none"},
    )
    assert count == 4
    assert statuses_for(user=learner, roadmap=roadmap) == {
        "item-0": "done",
        "item-1": "in_progress",
        "item-2": "skipped",
    }


@pytest.mark.parametrize(
    ("statuses", "error", "message"),
    [
        ({"item-0": "done", "nope": "done"}, UnknownTopicError, "no item with key 'nope'"),
        ({"item-0": "done", "item-1": "maybe"}, InvalidStatusError, "'maybe'"),
    ],
)
def test_set_many_is_all_or_nothing(learner, roadmap, statuses, error, message):
    progress_set(user=learner, topic=topic(roadmap, 1), status="skipped")
    with pytest.raises(error) as raised:
        progress_set_many(user=learner, roadmap=roadmap, statuses=statuses)
    assert message in str(raised.value)
    assert statuses_for(user=learner, roadmap=roadmap) == {"item-1": "skipped"}


def test_set_many_refuses_keys_of_another_roadmap(learner, roadmap):
    other = roadmap_generate(slug="other", phases=1, sections=1, topics=3)
    Topic.objects.filter(roadmap=other, key="item-0").update(key="only-in-other")
    with pytest.raises(UnknownTopicError, match="only-in-other"):
        progress_set_many(user=learner, roadmap=roadmap, statuses={"only-in-other": "done"})
    assert not Progress.objects.exists()


def test_set_many_refuses_retired_items(learner, roadmap):
    Topic.objects.filter(roadmap=roadmap, key="item-2").update(retired_at=timezone.now())
    with pytest.raises(TopicNotTrackableError, match="item-2"):
        progress_set_many(
            user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-2": "done"}
        )
    assert not Progress.objects.exists()


def test_set_many_for_a_session(session, roadmap):
    learner = SessionLearner(session)
    progress_set_many(
        user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-1": "in_progress"}
    )
    assert statuses_for(user=learner, roadmap=roadmap) == {
        "item-0": "done",
        "item-1": "in_progress",
    }


# --- reset ----------------------------------------------------------------------------------


def test_reset_forgets_one_roadmap_only(learner, roadmap):
    other = roadmap_generate(slug="other", phases=1, sections=1, topics=3)
    progress_set(user=learner, topic=topic(roadmap, 0), status="done")
    progress_set(user=learner, topic=topic(roadmap, 1), status="skipped")
    progress_set(user=learner, topic=topic(other, 0), status="done")

    assert progress_reset(user=learner, roadmap=roadmap) == 2
    assert statuses_for(user=learner, roadmap=roadmap) == {}
    assert statuses_for(user=learner, roadmap=other) == {"item-0": "done"}


def test_reset_for_a_session(session, roadmap):
    other = roadmap_generate(slug="other", phases=1, sections=1, topics=3)
    learner = SessionLearner(session)
    progress_set(user=learner, topic=topic(roadmap, 0), status="done")
    progress_set(user=learner, topic=topic(other, 0), status="done")

    assert progress_reset(user=learner, roadmap=roadmap) == 1
    assert statuses_for(user=learner, roadmap=roadmap) == {}
    assert statuses_for(user=learner, roadmap=other) == {"item-0": "done"}


# --- summaries ------------------------------------------------------------------------------


def test_summary_counts_percent_projects_goals_and_months(learner, roadmap):
    # Phase 0 holds items with n % 4 in (0, 1); phase 1 the rest. Items 8, 18 are projects,
    # 9, 19 goals. Each phase spans one month.
    progress_set_many(
        user=learner,
        roadmap=roadmap,
        statuses={
            "item-0": "done",
            "item-1": "done",
            "item-4": "done",
            "item-8": "done",
            "item-9": "skipped",
            "item-2": "in_progress",
            "item-3": "skipped",
        },
    )
    summary = roadmap_summary(user=learner, roadmap=roadmap)

    assert summary.items.as_dict() == {
        "total": 20,
        "done": 4,
        "in_progress": 1,
        "skipped": 2,
        "percent": 22,  # 4 / (20 - 2)
    }
    assert (summary.projects.total, summary.projects.done) == (2, 1)
    assert (summary.goals.total, summary.goals.done, summary.goals.skipped) == (2, 0, 1)
    first, second = summary.phases
    assert (first.items.total, first.items.done, first.items.skipped) == (10, 4, 1)
    assert (second.items.total, second.items.in_progress, second.items.skipped) == (10, 1, 1)
    # Phase 0: 5 of 10 open -> 0.5 month; phase 1: 9 of 10 open -> 0.9 month; about 2 months.
    assert summary.months_left == 2
    assert summary.in_progress[0].key == "item-2"
    assert summary.next_up is not None and summary.next_up.key == "item-2"
    assert not summary.is_complete


def test_summary_reaches_completion_with_skipped_items(learner, make_roadmap):
    small = make_roadmap(slug="small", phases=1, sections=1, topics=3)
    progress_set_many(
        user=learner,
        roadmap=small,
        statuses={"item-0": "done", "item-1": "done", "item-2": "skipped"},
    )
    summary = roadmap_summary(user=learner, roadmap=small)
    assert summary.items.percent == 100
    assert summary.is_complete
    assert summary.months_left == 0
    assert summary.next_up is None


def test_next_up_follows_the_furthest_done_item(learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-4": "done"})
    summary = roadmap_summary(user=learner, roadmap=roadmap)
    # Page order is phase 0 section 0: items 0, 4, 8, ...
    assert summary.next_up is not None and summary.next_up.key == "item-8"


def test_empty_summary(learner, roadmap):
    summary = roadmap_summary(user=learner, roadmap=roadmap)
    assert summary.items.as_dict() == {
        "total": 20,
        "done": 0,
        "in_progress": 0,
        "skipped": 0,
        "percent": 0,
    }
    assert summary.months_left == 2
    assert summary.last_activity is None


def test_learner_roadmaps_newest_first_and_published_only(learner, roadmap):
    other = roadmap_generate(slug="other", phases=1, sections=1, topics=3)
    progress_set(user=learner, topic=topic(roadmap, 0), status="done")
    progress_set(user=learner, topic=topic(other, 0), status="in_progress")

    assert [s.roadmap.slug for s in learner_roadmaps(user=learner)] == ["other", "tiny"]
    Roadmap.objects.filter(pk=other.pk).update(status=Roadmap.Status.ARCHIVED)
    public = learner_roadmaps(user=learner, published_only=True)
    assert [s.roadmap.slug for s in public] == ["tiny"]


def test_learner_roadmaps_query_count_does_not_grow(learner, django_assert_num_queries):
    for n in range(3):
        r = roadmap_generate(slug=f"r{n}", phases=2, sections=2, topics=30 * (n + 1))
        progress_set(user=learner, topic=topic(r, 0), status="done")
    # roadmaps, phases, counts per phase and kind, retired items, items in progress, where to
    # continue (account_summaries)
    with django_assert_num_queries(6):
        summaries = learner_roadmaps(user=learner)
    assert len(summaries) == 3


def test_export_lists_every_item(learner, roadmap):
    progress_set(user=learner, topic=topic(roadmap, 0), status="done")
    exported = progress_export(learner)
    assert exported == [
        {
            "roadmap": "tiny",
            "topic": "item-0",
            "title": "Item 0",
            "status": "done",
            "updated_at": exported[0]["updated_at"],
            "removed_from_edition": False,
        }
    ]


def test_progress_is_a_registered_export_section():
    from accounts.exports import registered_exports

    assert registered_exports()["progress"] is progress_export


# --- merge at sign-in ------------------------------------------------------------------------


def _session_entry(session, item: Topic, status: str, at: dt.datetime) -> None:
    entries = dict(session.get("progress", {}))
    entries[str(item.pk)] = {"s": status, "k": item.key, "r": item.roadmap_id, "t": at.isoformat()}
    session["progress"] = entries


def test_merge_newest_change_wins_and_account_keeps_the_rest(learner, roadmap, session):
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    older, newer = now - 2 * hour, now - hour
    # In the account: item-0 done (older than the session), item-1 in progress (newer than the
    # session), item-2 skipped (not in the session).
    for n, status, at in [(0, "done", older), (1, "in_progress", newer), (2, "skipped", older)]:
        Progress.objects.create(
            user=learner, roadmap=roadmap, topic=topic(roadmap, n), status=status, updated_at=at
        )
    _session_entry(session, topic(roadmap, 0), "in_progress", newer)  # newer: wins
    _session_entry(session, topic(roadmap, 1), "done", older)  # older: account wins
    _session_entry(session, topic(roadmap, 3), "done", newer)  # new to the account

    written = progress_merge_session(user=learner, session=session)

    assert written == 2
    assert statuses_for(user=learner, roadmap=roadmap) == {
        "item-0": "in_progress",
        "item-1": "in_progress",
        "item-2": "skipped",
        "item-3": "done",
    }
    assert Progress.objects.get(user=learner, topic=topic(roadmap, 3)).updated_at == newer
    assert "progress" not in session


def test_merge_drops_entries_it_cannot_trust(learner, roadmap, session):
    draft = roadmap_generate(slug="draft", phases=1, sections=1, topics=2)
    Roadmap.objects.filter(pk=draft.pk).update(status=Roadmap.Status.DRAFT)
    retired = topic(roadmap, 4)
    Topic.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    now = timezone.now()
    _session_entry(session, topic(draft, 0), "done", now)
    _session_entry(session, retired, "done", now)
    entries = dict(session["progress"])
    entries["999999"] = {"s": "done", "k": "ghost", "r": roadmap.pk, "t": now.isoformat()}
    entries["abc"] = {"s": "done", "k": "x", "r": roadmap.pk, "t": now.isoformat()}
    entries[str(topic(roadmap, 5).pk)] = {"s": "bogus", "t": now.isoformat()}
    entries[str(topic(roadmap, 6).pk)] = {"s": "done", "t": "yesterday"}
    entries[str(topic(roadmap, 7).pk)] = "done"
    session["progress"] = entries

    assert progress_merge_session(user=learner, session=session) == 0
    assert not Progress.objects.exists()


def test_merge_of_an_empty_session_does_nothing(learner, session, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert progress_merge_session(user=learner, session=session) == 0


def test_future_session_times_are_clamped(learner, roadmap, session):
    later = timezone.now() + dt.timedelta(days=365)
    _session_entry(session, topic(roadmap, 0), "done", later)
    progress_merge_session(user=learner, session=session)
    assert Progress.objects.get(user=learner).updated_at <= timezone.now()


# --- content re-import ------------------------------------------------------------------------


def test_reimport_keeps_progress_and_retires_items_with_progress(learner, tmp_path):
    from roadmaps.content import roadmap_import_files

    head = (
        "slug: small\ntitle: Small\nstatus: published\nphases:\n"
        "  - title: One\n    level: beginner\n    months: 0-1\n    sections:\n"
        "      - title: S\n        topics:\n"
    )
    source = tmp_path / "small.yaml"
    source.write_text(
        head + "          - {key: kept, title: Kept}\n"
        "          - {key: renamed, title: Old title}\n"
        "          - {key: dropped, title: Dropped}\n"
        "          - {key: dropped-unused, title: Nobody tracked this}\n"
    )
    roadmap_import_files([source])
    small = Roadmap.objects.get(slug="small")
    progress_set_many(
        user=learner,
        roadmap=small,
        statuses={"kept": "done", "renamed": "in_progress", "dropped": "done"},
    )
    ids_before = dict(Progress.objects.values_list("topic__key", "topic_id"))

    # Reordered, one reworded, two gone (one with progress, one without).
    source.write_text(
        head + "          - {key: renamed, title: New title}\n"
        "          - {key: kept, title: Kept}\n"
    )
    roadmap_import_files([source])
    roadmap_import_files([source])  # and once more: nothing changes

    assert dict(Progress.objects.values_list("topic__key", "topic_id")) == ids_before
    assert not Topic.objects.filter(key="dropped-unused").exists()
    summary = roadmap_summary(user=learner, roadmap=small)
    assert summary.statuses == {"kept": "done", "renamed": "in_progress"}
    assert [(ref.key, ref.status) for ref in summary.retired] == [("dropped", "done")]
    assert summary.items.total == 2


def test_flask_reimport_keeps_progress(learner, flask_roadmap):
    from conftest import FLASK_CONTENT
    from roadmaps.content import roadmap_import_files

    keys = list(Topic.objects.filter(roadmap=flask_roadmap).values_list("key", flat=True)[:30])
    progress_set_many(user=learner, roadmap=flask_roadmap, statuses=dict.fromkeys(keys, "done"))
    roadmap_import_files([FLASK_CONTENT])
    summary = roadmap_summary(user=learner, roadmap=flask_roadmap)
    assert summary.items.done == 30 and summary.items.total == 173


# --- concurrency on PostgreSQL ---------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_lose_nothing_and_never_duplicate(require_postgres, make_roadmap):
    from django.db import connections

    roadmap = make_roadmap(slug="race", phases=1, sections=1, topics=8)
    learner = UserFactory(username="racer")
    items = list(Topic.objects.filter(roadmap=roadmap).select_related("roadmap"))
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for round_ in range(10):
                # Every thread writes every item: collisions on the same (user, topic) on each
                # round, plus each thread's own item last so its final value is known.
                for item in items:
                    progress_set(user=learner, topic=item, status=STATES[1 + (n + round_) % 3])
            progress_set(user=learner, topic=items[n], status="done")
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert connection.vendor == "postgresql"
    rows = list(Progress.objects.filter(user=learner).values_list("topic_id", flat=True))
    assert sorted(rows) == sorted(item.pk for item in items)  # one row per item, none lost
    # Each thread's last write was "done" on its own item; a later write by another thread
    # may have changed it, but never to "none" (no thread deleted anything).
    assert set(Progress.objects.filter(user=learner).values_list("status", flat=True)) <= {
        "done",
        "in_progress",
        "skipped",
    }


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_merge_and_set_keep_the_newest(require_postgres, make_roadmap):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections

    roadmap = make_roadmap(slug="race2", phases=1, sections=1, topics=40)
    learner = UserFactory(username="racer2")
    items = list(Topic.objects.filter(roadmap=roadmap).select_related("roadmap"))
    session = SessionStore()
    past = timezone.now() - dt.timedelta(minutes=5)
    for item in items:
        _session_entry(session, item, "skipped", past)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def merge() -> None:
        try:
            barrier.wait()
            progress_merge_session(user=learner, session=session)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def mark() -> None:
        try:
            barrier.wait()
            for item in items:
                progress_set(user=learner, topic=item, status="done")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge), threading.Thread(target=mark)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = dict(Progress.objects.filter(user=learner).values_list("topic_id", "status"))
    assert len(statuses) == len(items)
    # Every item was marked done "now", later than the session's entries: done must win.
    assert set(statuses.values()) == {"done"}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_writes_in_opposite_orders_never_deadlock(require_postgres, make_roadmap):
    from django.db import connections

    roadmap = make_roadmap(slug="race3", phases=1, sections=1, topics=30)
    learner = UserFactory(username="racer3")
    keys = list(Topic.objects.filter(roadmap=roadmap).order_by("pk").values_list("key", flat=True))
    rounds = 12
    writers = 4

    def statuses_of(writer: int, round_: int) -> dict[str, str]:
        # Every kind of change on every round: inserts, updates and deletes ("none"). Odd
        # writers send other statuses (one writer clears what another sets) in the opposite
        # key order, except in the last round, when all send the same.
        shift = round_ + (writer % 2 if round_ < rounds - 1 else 0)
        statuses = {key: STATES[(n + shift) % len(STATES)] for n, key in enumerate(keys)}
        return dict(reversed(statuses.items())) if writer % 2 else statuses

    seen: list[dict[str, str]] = []

    def check_round() -> None:  # run by one thread once all finished the round
        rows = Progress.objects.filter(user=learner).values_list("topic__key", "status")
        seen.append(dict(rows))

    barrier = threading.Barrier(writers, action=check_round)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for round_ in range(rounds):
                progress_set_many(user=learner, roadmap=roadmap, statuses=statuses_of(n, round_))
                barrier.wait()
        except BaseException as error:  # reported to the main thread
            errors.append(error)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert connection.vendor == "postgresql"
    assert len(seen) == rounds
    for round_, state in enumerate(seen):
        for key in keys:  # each key holds one of the round's writes to it
            written = {statuses_of(n, round_)[key] for n in range(writers)}
            assert state.get(key, "none") in written, (round_, key)
    # In the last round every writer wrote the same: each key holds exactly that last write.
    last = statuses_of(0, rounds - 1)
    assert seen[-1] == {key: status for key, status in last.items() if status != "none"}
