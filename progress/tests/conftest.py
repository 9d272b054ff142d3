from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore

from accounts.tests.factories import UserFactory


@pytest.fixture
def roadmap(make_roadmap):
    """A published roadmap: 2 phases (0-1, 1-2 months) x 2 sections, 20 items (2 projects,
    2 goals: every 9th and 10th item)."""
    return make_roadmap(slug="tiny", phases=2, sections=2, topics=20)


@pytest.fixture
def other_learner(db):
    return UserFactory(username="bob")


@pytest.fixture
def session(db):
    store = SessionStore()
    store.create()
    return store
