"""Queue link checks for the Celery workers: the top of the link checker, above its services.

Services decide what is due and record results; this module is the one place outside the tasks
that puts link-check work on the broker (the beat pass and a batch looking again at leased URLs
queue from `roadmaps.tasks`). Imports point one way: changes / admin -> queue -> tasks ->
services -> models.

A check that cannot be queued is never lost and never fails the caller: the URLs are already
due in the database before anything is queued, so when the broker (Redis) is down the save or
the admin action still succeeds and the next pass checks them. An outage is logged once per
process, when it starts, and again when the broker answers; not once per save or per URL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

from roadmaps.linkcheck import services
from roadmaps.tasks import links_check_batch

logger = logging.getLogger(__name__)

# What publishing raises when the broker is unreachable: kombu wraps the transport's connection
# errors (refused, timed out, reset) in OperationalError; a socket error that escapes before
# kombu wraps it is an OSError.
BROKER_ERRORS: tuple[type[Exception], ...] = (OperationalError, OSError)


def broker_enabled() -> bool:
    """True when tasks go to a real broker (REDIS_URL); False in the embedded default, where
    Celery would run them in-process (and checks wait for `manage.py check_links`)."""
    return not links_check_batch.app.conf.task_always_eager


class BrokerOutage:
    """Whether publishing failed last time, so an outage is logged when it starts and when it
    ends, not on every save during it. One per process; a lock keeps two threads of one
    process from both reporting the same start."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_since: float | None = None

    def failed(self, error: Exception, *, due: int) -> None:
        with self._lock:
            starts = self.down_since is None
            if starts:
                self.down_since = time.monotonic()
        if starts:
            logger.warning(
                "Link checks not queued: the broker is unreachable (%s). %d URL(s) stay due in "
                "the database for the next pass; further failures are not logged until the "
                "broker answers again.",
                error,
                due,
            )
        else:
            logger.debug("Link checks not queued, the broker is still down: %s", error)

    def answered(self) -> None:
        with self._lock:
            down_since, self.down_since = self.down_since, None
        if down_since is not None:
            logger.info(
                "The broker answers again after %.0f s: link checks are queued again.",
                time.monotonic() - down_since,
            )


outage = BrokerOutage()


def _queue_batches(urls: list[str], **options: bool) -> bool:
    """Put `urls` on the broker in batches. Returns False if the broker could not be reached;
    the first failure stops the rest (they would fail the same way, each after its retries)."""
    for batch in services.links_batches(urls):
        try:
            links_check_batch.delay(batch, **options)
        except BROKER_ERRORS as error:
            outage.failed(error, due=len(urls))
            return False
    outage.answered()
    return True


def links_queue_new(*, urls: Iterable[str]) -> list[str]:
    """Resources with these URLs were saved (called on commit): make the URLs known, mark the
    never-checked ones due and, with a broker, queue them. Returns the never-checked URLs."""
    fresh = services.links_schedule(urls=urls)
    if fresh and broker_enabled():
        _queue_batches(fresh)
    return fresh


def links_queue_recheck(*, urls: list[str]) -> bool:
    """An editor asked to recheck `urls` now: mark them due and, with a broker, queue them after
    the commit. Returns True when queued for a worker, False when only marked due (embedded
    default: the next `manage.py check_links` checks them first)."""
    services.links_recheck(urls=urls)
    if not broker_enabled():
        return False
    transaction.on_commit(partial(_queue_batches, list(urls), force=True))
    return True
