"""`progress/summaries.py`: counts and figures from any learner's statuses."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from progress.learners import AccountLearner, LearnerStatus
from progress.models import Progress
from progress.summaries import IN_PROGRESS_SHOWN, Counts, roadmap_summaries
from progress.summaries_sql import account_summaries
from roadmaps.models import Roadmap, Topic
from roadmaps.tests.factories import roadmap_generate


@pytest.mark.parametrize(
    ("done", "total", "skipped", "percent"),
    [
        (0, 0, 0, 0),
        (0, 10, 0, 0),
        (1, 173, 0, 1),  # never 0% once something is done
        (42, 173, 5, 25),  # 42 / 168
        (3, 20, 1, 16),  # 15.8 rounds up
        (199, 200, 0, 99),  # never 100% before the end
        (3, 5, 2, 100),
        (0, 4, 4, 0),  # all skipped: nothing done, and no completion
    ],
)
def test_percent(done, total, skipped, percent):
    assert Counts(total=total, done=done, skipped=skipped).percent == percent


def test_several_roadmaps_in_two_queries(roadmap, django_assert_num_queries):
    other = roadmap_generate(slug="other", phases=3, sections=1, topics=30)
    at = timezone.now()
    statuses = {
        topic.pk: LearnerStatus(topic.pk, topic.key, topic.roadmap_id, "done", at)
        for topic in Topic.objects.filter(key="item-0")
    }
    # phases, topics
    with django_assert_num_queries(2):
        summaries = roadmap_summaries([roadmap, other], statuses)
    assert [(s.items.total, s.items.done, len(s.phases)) for s in summaries.values()] == [
        (20, 1, 2),
        (30, 1, 3),
    ]
    assert all(summary.last_activity == at for summary in summaries.values())


def _seeded_marks(learner, seed: int) -> list:
    """Roadmaps of several sizes with random marks (ties in time included: a bulk change
    stamps many items at once), retired items with and without marks, a roadmap all done and
    one with nothing in progress."""
    rng = random.Random(seed)
    roadmaps = [
        roadmap_generate(slug=f"seeded-{n}", phases=rng.randint(1, 5), sections=2, topics=size)
        for n, size in enumerate([rng.randint(5, 60) for _ in range(4)])
    ]
    now = timezone.now()
    rows = []
    for n, roadmap in enumerate(roadmaps):
        topics = list(Topic.objects.filter(roadmap=roadmap))
        marked = len(topics) if n == 0 else rng.randint(len(topics) // 2, len(topics))
        for topic in rng.sample(topics, k=marked):
            status = rng.choice(["done", "done", "in_progress", "skipped"])
            if n == 0:
                status = "done"  # everything marked done: nothing to continue
            elif n == 1 and status == "in_progress":
                status = "skipped"  # nothing in progress: continue after the furthest done
            at = now - dt.timedelta(minutes=rng.choice([0, 0, 5, rng.randint(1, 10_000)]))
            rows.append(
                Progress(user=learner, roadmap=roadmap, topic=topic, status=status, updated_at=at)
            )
    Progress.objects.bulk_create(rows)
    for roadmap in roadmaps[1:]:
        # Retire some items, marked or not, as the importer does (no section any more).
        marked = [row.topic_id for row in rows if row.roadmap == roadmap]
        retired = [rng.choice(marked), rng.choice(list(Topic.objects.filter(roadmap=roadmap))).pk]
        Topic.objects.filter(pk__in=retired).update(
            retired_at=now, section=None, position=rng.randint(0, 3)
        )
    return roadmaps


def _figures(summary):
    ref = summary.next_up
    return {
        "items": summary.items,
        "projects": summary.projects,
        "goals": summary.goals,
        "phases": [
            (p.phase_id, p.position, p.title, p.items, p.projects, p.goals, p.months)
            for p in summary.phases
        ],
        "months_left": summary.months_left,
        "is_complete": summary.is_complete,
        "last_activity": summary.last_activity,
        "next_up": (ref.topic_id, ref.key, ref.title, ref.kind, ref.status) if ref else None,
        "in_progress": [
            (r.topic_id, r.key, r.title, r.status, r.updated_at)
            for r in summary.in_progress[:IN_PROGRESS_SHOWN]
        ],
        "retired": [(r.topic_id, r.key, r.status, r.updated_at) for r in summary.retired],
    }


@pytest.mark.parametrize("seed", range(6))
def test_account_summaries_equal_item_by_item_summaries(learner, seed):
    """The dashboard's SQL counts give what the roadmap page's item-by-item summary gives."""
    roadmaps = _seeded_marks(learner, seed)
    roadmaps = list(Roadmap.objects.filter(pk__in=[r.pk for r in roadmaps]))
    by_items = roadmap_summaries(roadmaps, AccountLearner(learner).statuses())
    in_sql = account_summaries(roadmaps, user_id=learner.pk)
    assert set(in_sql) == set(by_items)
    for roadmap_id, expected in by_items.items():
        assert _figures(in_sql[roadmap_id]) == _figures(expected), roadmap_id
    # The dataset reaches every rule: a complete-or-all-done roadmap, one continuing after the
    # furthest done item, in-progress lists, retired marks.
    assert any(s.next_up is None and s.is_complete for s in in_sql.values())
    assert any(s.in_progress for s in in_sql.values())
    assert any(s.retired for s in in_sql.values())
    assert any(s.next_up and not s.in_progress for s in in_sql.values())


def test_account_summaries_do_not_mix_learners(learner, roadmap):
    other = UserFactory()
    first, second = Topic.objects.filter(roadmap=roadmap)[:2]
    at = timezone.now()
    Progress.objects.bulk_create(
        [
            Progress(user=learner, roadmap=roadmap, topic=first, status="done", updated_at=at),
            Progress(
                user=other, roadmap=roadmap, topic=second, status="in_progress", updated_at=at
            ),
        ]
    )
    summary = account_summaries([roadmap], user_id=learner.pk)[roadmap.pk]
    assert (summary.items.done, summary.items.in_progress) == (1, 0)
    assert summary.in_progress == []
    assert summary.next_up is not None and summary.next_up.topic_id == second.pk


@pytest.mark.parametrize("roadmap_count", [1, 30])
def test_account_summaries_query_count_does_not_grow(
    learner, roadmap_count, django_assert_num_queries
):
    roadmaps = []
    for n in range(roadmap_count):
        roadmap = roadmap_generate(slug=f"r{n}", phases=3, sections=2, topics=20)
        topics = list(Topic.objects.filter(roadmap=roadmap))
        at = timezone.now()
        Progress.objects.bulk_create(
            Progress(user=learner, roadmap=roadmap, topic=t, status=s, updated_at=at)
            for t, s in zip(topics, ["done", "in_progress", "skipped", "done"], strict=False)
        )
        roadmaps.append(roadmap)
    # phases, counts per phase and kind, retired items, items in progress (where to continue
    # is the latest item in progress on every roadmap here: no query for it)
    with django_assert_num_queries(4):
        summaries = account_summaries(roadmaps, user_id=learner.pk)
    assert all(s.items.in_progress == 1 and s.next_up for s in summaries.values())
