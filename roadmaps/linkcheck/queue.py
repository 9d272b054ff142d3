"""Queue link checks for the Celery workers: the top of the link checker, above its services.

Services decide what is due and record results; this module is the one place outside the tasks
that puts link-check work on the broker (the beat pass and a batch looking again at leased URLs
queue from `roadmaps.tasks`). Imports point one way: changes / admin -> queue -> tasks ->
services -> models.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from roadmaps.linkcheck import services
from roadmaps.tasks import links_check_batch


def broker_enabled() -> bool:
    """True when tasks go to a real broker (REDIS_URL); False in the embedded default, where
    Celery would run them in-process (and checks wait for `manage.py check_links`)."""
    return not links_check_batch.app.conf.task_always_eager


def _queue_batches(urls: list[str], **options: bool) -> None:
    """Put `urls` on the broker in batches of LINKCHECK_BATCH_SIZE."""
    for batch in services.links_batches(urls):
        links_check_batch.delay(batch, **options)


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
