"""`progress/learners.py`: the session and the account keep marks behind one interface."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from progress.errors import ProgressError
from progress.learners import AccountLearner, SessionLearner, learner_for, learner_of
from progress.models import Progress
from roadmaps.models import Roadmap, Topic
from roadmaps.tests.factories import roadmap_generate


@pytest.fixture(params=["session", "account"])
def any_learner(request, session, learner):
    return SessionLearner(session) if request.param == "session" else AccountLearner(learner)


def items(roadmap: Roadmap, *numbers: int) -> list[Topic]:
    return [Topic.objects.get(roadmap=roadmap, key=f"item-{n}") for n in numbers]


def marks(learner, roadmap=None) -> dict[str, str]:
    ids = None if roadmap is None else [roadmap.pk]
    return {mark.key: mark.status for mark in learner.statuses(roadmap_ids=ids).values()}


def test_write_read_and_clear_the_same_way(any_learner, roadmap):
    other = roadmap_generate(slug="other", phases=1, sections=1, topics=3)
    at = timezone.now()
    first, second, third = items(roadmap, 0, 1, 2)
    any_learner.write(roadmap=roadmap, changes={first: "done", second: "skipped"}, at=at)
    any_learner.write(roadmap=other, changes={items(other, 0)[0]: "in_progress"}, at=at)
    any_learner.write(roadmap=roadmap, changes={second: "none", third: "in_progress"}, at=at)

    assert marks(any_learner, roadmap) == {"item-0": "done", "item-2": "in_progress"}
    assert marks(any_learner, other) == {"item-0": "in_progress"}
    assert len(any_learner.statuses()) == 3  # every roadmap
    found = any_learner.statuses(roadmap_ids=[roadmap.pk])[first.pk]
    assert (found.topic_id, found.roadmap_id, found.updated_at) == (first.pk, roadmap.pk, at)

    assert any_learner.clear(roadmap=roadmap) == 2
    assert marks(any_learner, roadmap) == {}
    assert marks(any_learner, other) == {"item-0": "in_progress"}
    assert any_learner.clear() == 1
    assert any_learner.statuses() == {}


def test_only_the_account_stores_rows(any_learner, roadmap):
    (item,) = items(roadmap, 0)
    rows = any_learner.write(roadmap=roadmap, changes={item: "done"}, at=timezone.now())
    assert Progress.objects.count() == len(rows) == (0 if any_learner.is_session else 1)


def test_the_session_format(session, roadmap):
    (item,) = items(roadmap, 3)
    at = timezone.now()
    SessionLearner(session).write(roadmap=roadmap, changes={item: "skipped"}, at=at)
    assert session["progress"] == {
        str(item.pk): {"s": "skipped", "k": "item-3", "r": roadmap.pk, "t": at.isoformat()}
    }
    SessionLearner(session).clear()
    assert "progress" not in session


def test_session_entries_it_did_not_write_are_ignored(session, roadmap):
    first, second = items(roadmap, 0, 1)
    session["progress"] = {
        str(first.pk): {"s": "done", "k": "item-0", "r": roadmap.pk, "t": "yesterday"},
        str(second.pk): {"s": "bogus", "k": "item-1", "r": roadmap.pk},
        "abc": {"s": "done", "k": "x", "r": roadmap.pk},
        "12": "done",
    }
    found = SessionLearner(session).statuses()
    assert list(found) == [first.pk]
    assert found[first.pk].updated_at is None  # an unreadable time reads as unknown


def test_an_account_write_of_one_item_is_one_statement_and_the_version(
    learner, roadmap, django_assert_num_queries
):
    (item,) = items(roadmap, 0)
    account = AccountLearner(learner)
    assert account.progress_key == (learner.pk, 0)
    # The mark (one statement, atomic on its own), then the learner's progress version.
    with django_assert_num_queries(2):
        account.write(roadmap=roadmap, changes={item: "done"}, at=timezone.now())
    with django_assert_num_queries(2):
        account.write(roadmap=roadmap, changes={item: "none"}, at=timezone.now())
    assert not Progress.objects.exists()
    # What this request loaded is older than its own writes: nothing is kept under it.
    assert account.progress_key is None
    # The next request loads the user row again.
    assert AccountLearner(type(learner).objects.get(pk=learner.pk)).progress_key == (learner.pk, 2)


def test_every_write_of_an_account_moves_its_progress_version_on(learner, roadmap):
    first, second = items(roadmap, 0, 1)
    versions = []
    for write in (
        lambda account: account.write(
            roadmap=roadmap, changes={first: "done", second: "skipped"}, at=timezone.now()
        ),
        lambda account: account.merge(
            [Progress(user=learner, roadmap=roadmap, topic=first, status="in_progress",
                      updated_at=timezone.now())]
        ),
        lambda account: account.clear(roadmap=roadmap),
        lambda account: account.clear(),
    ):  # fmt: skip
        write(AccountLearner(learner))
        learner.refresh_from_db()
        versions.append(learner.progress_version)
    assert versions == [1, 2, 3, 4]


def test_learner_of(learner, session):
    visitor = SessionLearner(session)
    assert learner_of(visitor) is visitor
    account = learner_of(learner)
    assert isinstance(account, AccountLearner) and account.user == learner
    assert learner_of(account) is account
    with pytest.raises(ProgressError):
        learner_of(AnonymousUser())


def test_learner_for_a_request(rf, learner, session):
    request = rf.get("/")
    request.user, request.session = learner, session
    assert not learner_for(request).is_session
    request.user = AnonymousUser()
    assert learner_for(request).is_session
