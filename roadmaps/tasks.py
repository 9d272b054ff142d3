"""Celery tasks of the roadmaps app: thin wrappers around roadmaps.linkcheck.services.

All tasks are idempotent (acks_late is on globally): a batch redelivered after a worker died
checks only the URLs that are still due and not leased by a live checker.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from roadmaps.linkcheck import services
from roadmaps.models import LinkStatus

BATCH_TIME_LIMIT = settings.LINKCHECK_TASK_TIME_LIMIT
# A few seconds between the soft limit (stop checking, record and release) and the hard kill.
BATCH_SOFT_TIME_LIMIT = max(1, BATCH_TIME_LIMIT - 30) if BATCH_TIME_LIMIT > 60 else BATCH_TIME_LIMIT


@shared_task(name="roadmaps.tasks.links_check_due", time_limit=120, soft_time_limit=100)
def links_check_due() -> int:
    """Beat, hourly: queue every due URL in batches."""
    return services.links_dispatch()


@shared_task(
    name="roadmaps.tasks.links_check_batch",
    time_limit=BATCH_TIME_LIMIT,
    soft_time_limit=BATCH_SOFT_TIME_LIMIT,
)
def links_check_batch(urls: list[str], force: bool = False, attempt: int = 0) -> dict[str, int]:
    summary = services.links_check(urls=urls, force=force)
    # URLs leased by another checker: if that checker died, its lease expires; look again then
    # (a live checker will have recorded them by then, and they are no longer due).
    now = timezone.now()
    held = [
        until
        for until in LinkStatus.objects.filter(
            url__in=summary.skipped, lease_until__gt=now
        ).values_list("lease_until", flat=True)
        if until is not None
    ]
    if held and attempt < 3:
        countdown = max(1, int((max(held) - now).total_seconds()) + 1)
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
