"""`progress/summaries.py`: counts and figures from any learner's statuses."""

from __future__ import annotations

import pytest
from django.utils import timezone

from progress.learners import LearnerStatus
from progress.summaries import Counts, roadmap_summaries
from roadmaps.models import Topic
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
