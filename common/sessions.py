"""Django's database sessions, loaded with one short SQL statement (SESSION_ENGINE).

Every signed-in request loads its session first. Through the ORM the lookup cost about twice
the CPU of the same statement written out (README "Performance"); the table, the encoding and
every other operation (save, rotate, delete, expiry) are Django's own, so switching engines
keeps everyone's sessions. The row read is kept per process until PostgreSQL reports a write to
it (`common.row_watch`): a sign-out, a rotated key or an expiry moved on by a save.
"""

from __future__ import annotations

import hashlib

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from common.model_rows import ModelColumns, rows
from common.row_watch import WATCH

SESSION_COLUMNS = ModelColumns(Session, "s")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        if not self.session_key:  # no cookie, or one that failed the key's validation
            self._session_key = None
            return None
        key = self.session_key
        # Kept per process until the row is written (common.row_watch), so the expiry is
        # checked here too. Named by a digest, as the database's notification names it: the
        # key itself is a secret.
        digest = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()
        session = WATCH.read("session", digest, lambda: _session_row(key))
        if session is not None and session.session_key != key:  # a digest is not the key
            session = _session_row(key)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None  # unknown or expired: a new session starts, as in Django's
            return None
        return session


def _session_row(key: str) -> Session | None:
    """The unexpired session `key`. Django only reads the row it returns (`load`)."""
    found = rows(  # a signed-in request's first statement: it checks the connection too
        f"SELECT {SESSION_COLUMNS.sql} FROM {SESSION_COLUMNS.table} s "  # noqa: S608
        "WHERE s.session_key = %s AND s.expire_date > %s",
        [key, connection.ops.adapt_datetimefield_value(timezone.now())],
    )
    return SESSION_COLUMNS.instance(found[0]) if found else None
