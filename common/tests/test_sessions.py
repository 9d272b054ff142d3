"""The session engine (common/sessions.py) loads what Django's database engine stored, and
nothing for an unknown, expired or malformed key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from common.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_reads_what_djangos_engine_wrote_and_writes_what_it_reads():
    theirs = DjangoStore()
    theirs["marks"] = {"12": {"s": "done"}}
    theirs.create()
    ours = SessionStore(theirs.session_key)
    assert ours["marks"] == {"12": {"s": "done"}}
    assert ours.session_key == theirs.session_key
    ours["more"] = 1
    ours.save()
    assert DjangoStore(theirs.session_key)["more"] == 1


@pytest.mark.parametrize("key", ["expired", "unknown", "", "short", "a" * 41 + "!"])
def test_an_expired_unknown_or_malformed_key_starts_a_new_session(key):
    store = DjangoStore()
    store["x"] = 1
    store.create()
    if key == "expired":
        Session.objects.filter(pk=store.session_key).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1)
        )
        key = store.session_key
    elif key == "unknown":
        key = store.session_key[:-1] + ("a" if store.session_key[-1] != "a" else "b")
    ours = SessionStore(key)
    assert ours.load() == {}
    assert ours.session_key is None


def test_a_kept_session_is_used_only_for_its_own_key(monkeypatch):
    """Sessions are kept by a digest of their key (common.row_watch): should two keys ever
    share one, the kept row of the other key is never taken for this one."""
    from common import sessions

    mine, other = DjangoStore(), DjangoStore()
    mine["who"], other["who"] = "me", "someone else"
    mine.create()
    other.create()
    kept_other = Session.objects.get(session_key=other.session_key)
    monkeypatch.setattr(sessions.WATCH, "read", lambda group, key, query: kept_other)
    assert SessionStore(mine.session_key)["who"] == "me"
