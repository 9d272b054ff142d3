"""Django's database sessions, loaded with one short SQL statement (SESSION_ENGINE).

Every signed-in request loads its session first. Through the ORM the lookup cost about twice
the CPU of the same statement written out (README "Performance"); the table, the encoding and
every other operation (save, rotate, delete, expiry) are Django's own, so switching engines
keeps everyone's sessions.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from common.model_rows import rows


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        if not self.session_key:  # no cookie, or one that failed the key's validation
            self._session_key = None
            return None
        table = connection.ops.quote_name(Session._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = rows(  # a signed-in request's first statement: it checks the connection too
            f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
            [self.session_key, now],
        )
        if not found:  # unknown or expired: a new session starts, as in Django's
            self._session_key = None
            return None
        return Session(session_key=self.session_key, session_data=found[0][0])
