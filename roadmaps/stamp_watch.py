"""Roadmap stamps kept in each process while PostgreSQL reports no change (LISTEN/NOTIFY).

Every stored answer (`roadmaps.pages`) first reads its stamp: one round trip to the database per
request, about as much as the rest of the answer costs. The stamps change only when the roadmaps
table is written, so each process keeps the stamps it read and asks again only after a write:

- Every statement that writes the roadmaps table notifies `CHANNEL` (a trigger, roadmaps
  migration 0013), so no writer can forget to. PostgreSQL delivers the notification when the
  writing transaction commits, and never for one that rolled back.
- Each process listens on a connection of its own. Before answering from memory it reads what
  has arrived on that connection without waiting (a non-blocking read of the socket, no round
  trip); any notification forgets every kept stamp.
- Whatever is in doubt costs a query, as before: no listening connection (SQLite, the setting
  off, PostgreSQL unreachable: tried again every RECONNECT_SECONDS), a read inside a transaction
  (it may have written the table itself), a listening connection that failed. Kept stamps are
  also forgotten every RECHECK_SECONDS: a bound should the connection die without the socket
  saying so (keepalives notice that too, more slowly).

The one window: a request answered by another process in the moment between a writer's commit
and the notification reaching that process's socket (measured: README "Performance") still gets
the stamp from before the commit, as a request that arrived a moment earlier would have.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import psycopg
from django.conf import settings
from django.db import connection

CHANNEL = "roadmap_stamps"
RECHECK_SECONDS = 2.0
RECONNECT_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 2
# A dead peer that never closed the socket is noticed after idle + interval * count seconds.
KEEPALIVES: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}

T = TypeVar("T")
log = logging.getLogger(__name__)


class StampWatch:
    """Stamps by key, answered from memory while the listening connection reports no write."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listener: psycopg.Connection[Any] | None = None
        self._pid = 0
        self._kept: dict[Hashable, Any] = {}
        self._generation = 0  # moves whenever the kept stamps are forgotten
        self._recheck_at = 0.0
        self._connect_at = 0.0

    def read(self, key: Hashable, query: Callable[[], T]) -> T:
        """The stamp `key`: kept, or `query()` (then kept if nothing was written meanwhile)."""
        if not settings.ROADMAP_STAMPS_LISTEN or connection.in_atomic_block:
            return query()
        with self._lock:
            listening = self._poll()
            if listening and key in self._kept:
                return self._kept[key]  # type: ignore[no-any-return]
            generation = self._generation
        value = query()
        if listening:
            with self._lock:
                # A notification read while the query ran may be about a write the query did
                # not see: keep nothing then.
                if generation == self._generation:
                    self._kept[key] = value
        return value

    @property
    def listening(self) -> bool:
        return self._listener is not None and self._pid == os.getpid()

    def forget(self) -> None:
        with self._lock:
            self._forget(time.monotonic())

    def close(self) -> None:
        """Stop listening (tests; a process that ends closes the socket anyway)."""
        with self._lock:
            self._drop(time.monotonic())
            self._connect_at = 0.0

    def _forget(self, now: float) -> None:
        self._kept.clear()
        self._generation += 1
        self._recheck_at = now + RECHECK_SECONDS

    def _drop(self, now: float) -> None:
        listener, self._listener = self._listener, None
        if listener is not None and self._pid == os.getpid():
            listener.close()
        self._forget(now)

    def _poll(self) -> bool:
        """Whether the kept stamps can be trusted: listening, and nothing arrived."""
        now = time.monotonic()
        if self._pid != os.getpid():  # a forked child must not share its parent's socket
            self._listener, self._pid = None, os.getpid()
            self._forget(now)
        if self._listener is None and not self._listen(now):
            return False
        assert self._listener is not None
        pgconn = self._listener.pgconn
        try:
            # What the socket holds, without waiting. Twice: a server that ended the connection
            # sends its reason and closes the socket, and the first read takes only the reason.
            pgconn.consume_input()
            pgconn.consume_input()
            arrived = False
            while pgconn.notifies() is not None:
                arrived = True
        except psycopg.Error as error:
            log.warning("Stopped listening for roadmap changes (%s); stamps are queried.", error)
            self._drop(now)
            return False
        if arrived or now >= self._recheck_at:
            self._forget(now)
        return True

    def _listen(self, now: float) -> bool:
        if now < self._connect_at:
            return False
        self._connect_at = now + RECONNECT_SECONDS
        params = {
            key: value
            for key, value in connection.get_connection_params().items()
            if key not in {"context", "cursor_factory", "prepare_threshold", "server_side_binding"}
        }
        try:
            listener = psycopg.connect(
                **params, **KEEPALIVES, connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True
            )
            listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as error:
            log.warning("Cannot listen for roadmap changes (%s); stamps are queried.", error)
            return False
        self._listener = listener
        self._forget(now)  # a write may have committed before LISTEN: read everything anew
        return True


WATCH = StampWatch()
