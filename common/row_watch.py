"""Rows every request reads, kept in each process while PostgreSQL reports no write to them.

A stored page costs a fraction of a millisecond; each row it needs from the database (the
roadmap's stamp; for a learner the session and the user; for an API client the token) cost a
round trip as long again. Those rows change rarely, and PostgreSQL can say when they do
(LISTEN/NOTIFY), so each process keeps what it read and asks again only after a write:

- Triggers on the tables notify `CHANNEL` with what changed (roadmaps migration 0013, accounts
  migration 0006): `stamps` (any write to the roadmaps table), `session:<md5 of the key>`,
  `user:<id>`, `token:<prefix>`, or `*` (a statement that wrote many rows). PostgreSQL delivers
  a notification when the writing transaction commits, and never for one that rolled back; no
  writer can forget to send it.
- Each process listens on a connection of its own. Before answering from memory it reads what
  has arrived on that connection without waiting (a non-blocking read of the socket, no round
  trip) and forgets what the notifications name.
- Whatever is in doubt costs a query, as before: no listening connection (SQLite, the setting
  off, PostgreSQL unreachable: tried again every RECONNECT_SECONDS), a read inside a transaction
  (it may have written the row itself), a listening connection that failed. Everything kept is
  also forgotten every RECHECK_SECONDS: a bound should the connection die without the socket
  saying so (keepalives notice that too, more slowly).

The one window: a request answered by another process in the moment between a writer's commit
and the notification reaching that process's socket (11 us median, bench/stamp_delivery.py)
still reads the row from before the commit, as a request that arrived a moment earlier would
have. That holds for a sign-out elsewhere and a revoked token as for an edit.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from django.conf import settings
from django.db import connection

CHANNEL = "rmf_rows"
RECHECK_SECONDS = 2.0
RECONNECT_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 2
MAX_PER_GROUP = 10_000  # sessions, users, tokens: the most recently read are kept
# A dead peer that never closed the socket is noticed after idle + interval * count seconds.
KEEPALIVES: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}

T = TypeVar("T")
log = logging.getLogger(__name__)


class RowWatch:
    """Values by (group, key), answered from memory while the listener reports no write."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listener: psycopg.Connection[Any] | None = None
        self._pid = 0
        self._kept: dict[str, OrderedDict[str, Any]] = {}
        # Moves whenever something of the group is forgotten: a value read meanwhile may be
        # from before the write, so it is not kept.
        self._generations: dict[str, int] = {}
        self._recheck_at = 0.0
        self._connect_at = 0.0

    @property
    def keeping(self) -> bool:
        """Whether `read` may answer from memory here (else it always queries)."""
        return bool(settings.LISTEN_FOR_WRITES) and not connection.in_atomic_block

    def read(self, group: str, key: str, query: Callable[[], T]) -> T:
        """The value of `key` in `group`: kept, or `query()` (then kept if nothing of the group
        was written meanwhile)."""
        if not self.keeping:
            return query()
        with self._lock:
            listening = self._poll()
            kept = self._kept.get(group)
            if kept is None:  # not setdefault: it would build an OrderedDict on every read
                kept = self._kept[group] = OrderedDict()
            if listening and key in kept:
                return kept[key]  # type: ignore[no-any-return]
            generation = self._generations.get(group, 0)
        value = query()
        if listening:
            with self._lock:
                if generation == self._generations.get(group, 0):
                    kept[key] = value
                    kept.move_to_end(key)
                    if len(kept) > MAX_PER_GROUP:
                        kept.popitem(last=False)
        return value

    @property
    def listening(self) -> bool:
        return self._listener is not None and self._pid == os.getpid()

    def forget(self) -> None:
        with self._lock:
            self._forget_all(time.monotonic())

    def close(self) -> None:
        """Stop listening (tests; a process that ends closes the socket anyway)."""
        with self._lock:
            self._drop(time.monotonic())
            self._connect_at = 0.0

    def _forget_all(self, now: float) -> None:
        for group in self._kept:
            self._forget_group(group)
        self._recheck_at = now + RECHECK_SECONDS

    def _forget_group(self, group: str) -> None:
        kept = self._kept.get(group)
        if kept is not None:
            kept.clear()
        self._generations[group] = self._generations.get(group, 0) + 1

    def _forget(self, payload: str) -> None:
        if payload == "*":
            self._forget_all(time.monotonic())
            return
        group, _, key = payload.partition(":")
        if not key:
            self._forget_group(group)
            return
        kept = self._kept.get(group)
        if kept is not None:
            kept.pop(key, None)
        self._generations[group] = self._generations.get(group, 0) + 1

    def _drop(self, now: float) -> None:
        listener, self._listener = self._listener, None
        if listener is not None and self._pid == os.getpid():
            listener.close()
        self._forget_all(now)

    def _poll(self) -> bool:
        """Whether what is kept can be trusted: listening, and what arrived is forgotten."""
        now = time.monotonic()
        if self._pid != os.getpid():  # a forked child must not share its parent's socket
            self._listener, self._pid = None, os.getpid()
            self._forget_all(now)
        if self._listener is None and not self._listen(now):
            return False
        assert self._listener is not None
        pgconn = self._listener.pgconn
        try:
            # What the socket holds, without waiting. Twice: a server that ended the connection
            # sends its reason and closes the socket, and the first read takes only the reason.
            pgconn.consume_input()
            pgconn.consume_input()
            while (notification := pgconn.notifies()) is not None:
                self._forget(notification.extra.decode())
        except psycopg.Error as error:
            log.warning("Stopped listening for writes (%s); rows are queried.", error)
            self._drop(now)
            return False
        if now >= self._recheck_at:
            self._forget_all(now)
        return True

    def _listen(self, now: float) -> bool:
        if now < self._connect_at:
            return False
        self._connect_at = now + RECONNECT_SECONDS
        try:
            listener = listener_connection()
        except psycopg.Error as error:
            log.warning("Cannot listen for writes (%s); rows are queried.", error)
            return False
        self._listener = listener
        self._forget_all(now)  # a write may have committed before LISTEN: read everything anew
        return True


def listener_connection() -> psycopg.Connection[Any]:
    """A connection of its own to Django's database, listening on CHANNEL (autocommit: LISTEN
    takes effect at once; keepalives: a peer that vanished is noticed)."""
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key not in {"context", "cursor_factory", "prepare_threshold", "server_side_binding"}
    }
    listener = psycopg.connect(
        **params, **KEEPALIVES, connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True
    )
    listener.execute(f"LISTEN {CHANNEL}")
    return listener


WATCH = RowWatch()
