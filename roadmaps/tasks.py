"""Celery tasks of the roadmaps app: thin wrappers around roadmaps.linkcheck.services.

Tasks take URLs, call a service and queue what it says is due; services never import this
module, and this module never imports `roadmaps.linkcheck.queue` (which imports it).

All tasks are idempotent (acks_late is on globally): a batch redelivered after a worker died
checks only the URLs that are still due and not leased by a live checker.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from roadmaps.linkcheck import services

BATCH_TIME_LIMIT = settings.LINKCHECK_TASK_TIME_LIMIT
# A few seconds between the soft limit (stop checking, record and release) and the hard kill.
BATCH_SOFT_TIME_LIMIT = max(1, BATCH_TIME_LIMIT - 30) if BATCH_TIME_LIMIT > 60 else BATCH_TIME_LIMIT


@shared_task(name="roadmaps.tasks.links_check_due", time_limit=120, soft_time_limit=100)
def links_check_due() -> int:
    """Beat, hourly: queue every due URL in batches."""
    batches = services.links_due_batches()
    for batch in batches:
        links_check_batch.delay(batch)
    return sum(len(batch) for batch in batches)


@shared_task(
    name="roadmaps.tasks.links_check_batch",
    time_limit=BATCH_TIME_LIMIT,
    soft_time_limit=BATCH_SOFT_TIME_LIMIT,
)
def links_check_batch(urls: list[str], force: bool = False, attempt: int = 0) -> dict[str, int]:
    summary = services.links_check(urls=urls, force=force)
    # The service decides whether the URLs another checker held are worth another look, and when.
    countdown = services.links_lease_wait(urls=summary.skipped, attempt=attempt)
    if countdown is not None:
        links_check_batch.apply_async(
            args=[summary.skipped],
            kwargs={"force": force, "attempt": attempt + 1},
            countdown=countdown,
        )
    return dict(summary.results)


@shared_task(name="roadmaps.tasks.links_email_digest", time_limit=300)
def links_email_digest() -> int:
    """Beat, weekly: mail editors the links that became broken."""
    return services.links_email_digest()
