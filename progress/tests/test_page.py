"""`progress/page.py`: the roadmap page's progress, loaded once per request."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from progress.learners import SessionLearner
from progress.models import Progress
from progress.page import page_progress, page_progress_forget, page_progress_of, status_label
from progress.services import progress_set, progress_set_many


def _request(rf, user, session=None):
    request = rf.get("/")
    request.user = user
    request.session = {} if session is None else session
    return request


def test_loaded_once_per_request(rf, learner, roadmap, django_assert_num_queries):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-0": "done"})
    request = _request(rf, learner)
    # the learner's statuses; phases and topics for the summary
    with django_assert_num_queries(3):
        progress = page_progress(request, roadmap)
    with django_assert_num_queries(0):
        assert page_progress(request, roadmap) is progress
        assert page_progress_of(request, roadmap.pk) is progress
    topic = roadmap.topics.get(key="item-0")
    assert progress.status(topic.pk) == "done"
    assert progress.summary is not None and progress.summary.items.done == 1
    assert not progress.is_session


def test_without_progress_there_is_no_summary(rf, learner, roadmap, django_assert_num_queries):
    request = _request(rf, learner)
    with django_assert_num_queries(1):  # the learner's (empty) statuses
        progress = page_progress(request, roadmap)
    assert progress.summary is None
    assert progress.phase(roadmap.phases.first().pk) is None
    assert progress.status(roadmap.topics.first().pk) == "none"


def test_a_partial_that_knows_only_the_roadmap_id_loads_it(
    rf, learner, roadmap, django_assert_num_queries
):
    request = _request(rf, learner)
    with django_assert_num_queries(2):  # the roadmap, the learner's (empty) statuses
        progress = page_progress_of(request, roadmap.pk)
    assert progress.roadmap == roadmap


def test_forget_reloads_after_a_write(rf, learner, roadmap):
    request = _request(rf, learner)
    topic = roadmap.topics.get(key="item-1")
    assert page_progress(request, roadmap).status(topic.pk) == "none"
    progress_set(user=learner, topic=topic, status="skipped")
    assert page_progress(request, roadmap).status(topic.pk) == "none"  # still this request's
    page_progress_forget(request)
    assert page_progress(request, roadmap).status(topic.pk) == "skipped"


def test_a_visitor_reads_the_session_without_queries(
    rf, session, roadmap, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    topic = roadmap.topics.get(key="item-2")
    progress_set(user=SessionLearner(session), topic=topic, status="in_progress")
    request = _request(rf, AnonymousUser(), session)
    with django_assert_num_queries(2):  # phases and topics for the summary only
        progress = page_progress(request, roadmap)
    assert progress.is_session
    assert progress.status(topic.pk) == "in_progress"


@pytest.mark.parametrize("status", Progress.Status.values)
def test_status_labels_come_from_the_model(status):
    assert status_label(status) == Progress.Status(status).label.lower()


@pytest.mark.parametrize("status", ["none", None, "", "finished"])
def test_anything_else_reads_not_started(status):
    assert status_label(status) == "not started"


def test_no_progress_module_imports_the_tag_library():
    """Tags render; modules that need page data import `progress.page` instead."""
    app = Path(__file__).resolve().parents[1]
    for path in app.rglob("*.py"):
        if "templatetags" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            assert not any("templatetags" in name for name in names), path
