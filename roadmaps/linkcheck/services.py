"""Link checking, the Django side: which URLs are due, leases, recording verdicts, passes, editor
actions and the weekly digest. Tasks, `roadmaps.linkcheck.queue`, the admin and
`manage.py check_links` call these.

Rules kept here:
- one LinkStatus row per distinct resource URL;
- a URL is checked by at most one checker at a time: a checker first takes a lease (an UPDATE
  that only succeeds on rows without a live lease), and the lease expires, so a killed worker
  loses nothing: its URLs are free again after LINKCHECK_LEASE_SECONDS;
- a URL already checked in this pass is no longer due, so a redelivered task does not check it
  again;
- "broken" once is evidence; *confirmed* broken (hidden from learners) needs
  LINKCHECK_CONFIRM_FAILURES broken checks in a row spanning LINKCHECK_CONFIRM_HOURS; any success
  resets the run, so flapping links are never confirmed, and a confirmed link that works again
  is visible again at once;
- nothing here puts work on the broker: these functions say what is due (and, for a batch that
  met another checker's leases, when to look again); `roadmaps.linkcheck.queue` and the tasks
  queue it. So this module never imports `roadmaps.tasks`.
"""

from __future__ import annotations

import logging
import random
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.site import absolute_url
from roadmaps.linkcheck import sources
from roadmaps.linkcheck.checker import CheckerConfig, LinkOutcome, check_urls_streaming
from roadmaps.models import LinkStatus, Resource, Roadmap

logger = logging.getLogger(__name__)

Result = LinkStatus.Result
FAILURE_RESULTS = (Result.BROKEN, Result.UNKNOWN)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start : start + size]


def links_batches(urls: Iterable[str]) -> list[list[str]]:
    """`urls` in the batches one task checks (LINKCHECK_BATCH_SIZE each), in their order."""
    return list(_chunks(list(urls), settings.LINKCHECK_BATCH_SIZE))


# --- Which URLs -------------------------------------------------------------------------------


def links_sync(*, urls: Iterable[str] | None = None) -> int:
    """Make sure every URL (default: every resource's, and every other registered source's, see
    `sources`) has a LinkStatus row; new rows are due at once. Returns the number of rows
    created."""
    if urls is None:
        urls = sources.urls_in_use()
    wanted = set(urls)
    created = 0
    for chunk in _chunks(sorted(wanted), 500):
        known = set(LinkStatus.objects.filter(url__in=chunk).values_list("url", flat=True))
        new = [
            LinkStatus(url=url, next_check_at=timezone.now()) for url in chunk if url not in known
        ]
        LinkStatus.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    return created


def spread_hosts(urls: list[str]) -> list[str]:
    """Interleave hosts (round robin, keeping each host's order) so a batch doesn't hit one
    site with everything at once."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[(urlsplit(url).hostname or "").lower()].append(url)
    queues = list(by_host.values())
    spread: list[str] = []
    depth = 0
    while len(spread) < len(urls):
        for queue in queues:
            if depth < len(queue):
                spread.append(queue[depth])
        depth += 1
    return spread


def links_due(
    *,
    limit: int | None = None,
    roadmap: Roadmap | None = None,
    include_all: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """URLs to check now, most urgent first: never checked, then broken/unknown, then the rest
    by due time. `include_all` takes every URL in use whatever its due time."""
    now = now or timezone.now()
    rows = (
        LinkStatus.objects.in_use()
        .exclude(override=LinkStatus.Override.IGNORED)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )
    if roadmap is not None:
        rows = rows.for_roadmap(roadmap)
    if not include_all:
        rows = rows.filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
    rows = rows.annotate(
        urgency=Case(
            When(checked_at__isnull=True, then=Value(0)),
            When(result__in=FAILURE_RESULTS, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("urgency", "next_check_at", "url")
    urls = list(
        rows.values_list("url", flat=True)[:limit] if limit else rows.values_list("url", flat=True)
    )
    return spread_hosts(urls)


# --- Leases -----------------------------------------------------------------------------------


def links_lease(
    *,
    urls: list[str],
    seconds: int | None = None,
    only_due: bool = True,
    now: datetime | None = None,
) -> tuple[str, list[str]]:
    """Take the lease of those `urls` nobody else holds (and, with `only_due`, that are still
    due). Returns (token, leased URLs). One UPDATE: concurrent checkers never both win a row."""
    now = now or timezone.now()
    seconds = seconds if seconds is not None else settings.LINKCHECK_LEASE_SECONDS
    token = secrets.token_hex(8)
    rows = (
        LinkStatus.objects.filter(url__in=urls)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .exclude(override=LinkStatus.Override.IGNORED)
    )
    if only_due:
        rows = rows.filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
    rows.update(lease_until=now + timedelta(seconds=seconds), lease_token=token)
    leased = set(LinkStatus.objects.filter(lease_token=token).values_list("url", flat=True))
    return token, [url for url in urls if url in leased]


def links_release(*, token: str) -> int:
    return LinkStatus.objects.filter(lease_token=token).update(lease_until=None, lease_token="")


# --- Recording --------------------------------------------------------------------------------


def _next_check_delay(result: str) -> timedelta:
    jitter = settings.LINKCHECK_JITTER
    if result == Result.BROKEN:
        # Spread the confirming checks over the confirmation window; jitter only later, so the
        # last confirming check is never too early to count.
        hours = settings.LINKCHECK_CONFIRM_HOURS / max(1, settings.LINKCHECK_CONFIRM_FAILURES - 1)
        factor = 1 + random.uniform(0, jitter)  # noqa: S311 - spreading load, not security
    elif result == Result.UNKNOWN:
        hours = settings.LINKCHECK_UNKNOWN_INTERVAL_HOURS
        factor = 1 + random.uniform(-jitter, jitter)  # noqa: S311
    else:
        hours = settings.LINKCHECK_OK_INTERVAL_HOURS
        factor = 1 + random.uniform(-jitter, jitter)  # noqa: S311
    return timedelta(hours=hours * factor)


def link_record(
    *, outcome: LinkOutcome, token: str | None = None, now: datetime | None = None
) -> LinkStatus | None:
    """Store a check's verdict and decide the next check. Returns None (and stores nothing) when
    another checker took over the URL because our lease had expired."""
    now = now or timezone.now()
    with transaction.atomic():
        status = LinkStatus.objects.select_for_update().filter(url=outcome.url).first()
        if status is None:
            status = LinkStatus(url=outcome.url)
        elif (
            token
            and status.lease_token
            and status.lease_token != token
            and status.lease_until is not None
            and status.lease_until > now
        ):
            return None
        was_hidden = status.confirmed_broken
        status.result = outcome.result
        status.http_status = outcome.http_status
        status.final_url = outcome.final_url[:2000]
        status.redirect_chain = outcome.redirect_chain
        status.suggestion = outcome.suggestion[:2000]
        status.error = outcome.error
        status.checked_at = now
        status.check_count += 1
        if outcome.result in (Result.OK, Result.REDIRECTED):
            status.last_ok_at = now
            status.consecutive_failures = 0
            status.failing_since = None
            status.confirmed_broken = False
            status.confirmed_at = None
        elif outcome.result == Result.BROKEN:
            status.consecutive_failures += 1
            status.failing_since = status.failing_since or now
            window = timedelta(hours=settings.LINKCHECK_CONFIRM_HOURS)
            if (
                not status.confirmed_broken
                and status.consecutive_failures >= settings.LINKCHECK_CONFIRM_FAILURES
                and now - status.failing_since >= window
            ):
                status.confirmed_broken = True
                status.confirmed_at = now
        # unknown and blocked say nothing about the link itself: the run of failures stands.
        next_check = now + _next_check_delay(outcome.result)
        if outcome.retry_after:
            next_check = max(next_check, now + timedelta(seconds=outcome.retry_after))
        status.next_check_at = next_check
        status.lease_until = None
        status.lease_token = ""
        status.save()
        if status.confirmed_broken != was_hidden:
            _roadmaps_touch_for(urls=[status.url])
    return status


def _roadmaps_touch_for(*, urls: list[str]) -> None:
    """A link was hidden from learners or came back: the roadmaps using it changed for them, so
    their content version (API cache keys, ETag, Last-Modified) must move too. One UPDATE, and
    not `roadmap_content_changed`: the link checker must not queue link checks."""
    Roadmap.objects.filter(sources.roadmaps_using(urls)).bump_content_version()


# --- Passes -----------------------------------------------------------------------------------


@dataclass
class PassSummary:
    checked: int = 0
    results: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)  # leased by another checker
    outcomes: list[LinkOutcome] = field(default_factory=list)

    def add(self, outcome: LinkOutcome) -> None:
        self.checked += 1
        self.results[outcome.result] += 1
        self.outcomes.append(outcome)


def links_check(
    *,
    urls: list[str],
    force: bool = False,
    config: CheckerConfig | None = None,
    on_outcome: Callable[[LinkOutcome], None] | None = None,
) -> PassSummary:
    """Check `urls` now, in this process: lease, check concurrently, record each verdict as it
    arrives. `force` checks URLs even if they are not due (recheck now, --all)."""
    config = config or CheckerConfig.from_settings()
    summary = PassSummary()
    # Lease in slices, so a long foreground pass never outlives its leases.
    size = max(settings.LINKCHECK_BATCH_SIZE, config.client.concurrency * 10)
    for chunk in _chunks(urls, size):
        token, leased = links_lease(urls=chunk, only_due=not force)
        taken = set(leased)
        summary.skipped.extend(url for url in chunk if url not in taken)
        try:
            for outcome in check_urls_streaming(leased, config=config):
                link_record(outcome=outcome, token=token)
                summary.add(outcome)
                if on_outcome is not None:
                    on_outcome(outcome)
        finally:
            links_release(token=token)
    return summary


# Looking again at URLs another checker held: at most this many times per batch.
LEASE_WAITS_MAX = 3


def links_lease_wait(*, urls: list[str], attempt: int, now: datetime | None = None) -> int | None:
    """A batch found `urls` leased by another checker (`PassSummary.skipped`): seconds to wait
    before looking at them again, or None when there is nothing to wait for. If that checker
    died its lease expires, so wait until the last live lease ends (plus a second); a live
    checker will have recorded them by then and they are no longer due. None when no lease is
    live any more, or after LEASE_WAITS_MAX attempts (`attempt` counts from 0)."""
    if not urls or attempt >= LEASE_WAITS_MAX:
        return None
    now = now or timezone.now()
    held = [
        until
        for until in LinkStatus.objects.filter(url__in=urls, lease_until__gt=now).values_list(
            "lease_until", flat=True
        )
        if until is not None
    ]
    if not held:
        return None
    return max(1, int((max(held) - now).total_seconds()) + 1)


def links_due_batches(*, limit: int | None = None) -> list[list[str]]:
    """The hourly pass with a broker: make every resource URL known and return the due ones
    (at most `limit`, default LINKCHECK_PASS_LIMIT) in the batches the workers check."""
    links_sync()
    return links_batches(links_due(limit=limit or settings.LINKCHECK_PASS_LIMIT))


def links_schedule(*, urls: Iterable[str]) -> list[str]:
    """A resource was saved: make its URL known and, if it was never checked, due now. Returns
    those never-checked URLs: `roadmaps.linkcheck.queue` queues them when there is a broker (a
    worker checks them within seconds); otherwise, or if queuing fails, the next pass
    (`manage.py check_links`, or the hourly one) checks them first."""
    urls = sorted(set(urls))
    links_sync(urls=urls)
    fresh = list(
        LinkStatus.objects.filter(url__in=urls, checked_at__isnull=True)
        .exclude(override=LinkStatus.Override.IGNORED)
        .values_list("url", flat=True)
    )
    if fresh:
        LinkStatus.objects.filter(url__in=fresh).update(next_check_at=timezone.now())
    return fresh


# --- Editors' actions -------------------------------------------------------------------------


def links_recheck(*, urls: list[str]) -> int:
    """An editor asked for a recheck now: mark `urls` due, so the next pass checks them first
    (`roadmaps.linkcheck.queue.links_queue_recheck` also queues them when there is a broker).
    Returns the number of rows marked."""
    return LinkStatus.objects.filter(url__in=urls).update(next_check_at=timezone.now())


def links_override(*, urls: list[str], override: str) -> int:
    """Accept as OK (never hidden or reported, still checked), ignore (not checked at all), or
    clear the editor's decision (override="")."""
    if override not in LinkStatus.Override.values:
        raise ValueError(f"unknown override {override!r}")
    changes: dict[str, object] = {"override": override}
    if override == LinkStatus.Override.NONE:
        changes["next_check_at"] = timezone.now()
    with transaction.atomic():
        count = LinkStatus.objects.filter(url__in=urls).update(**changes)
        _roadmaps_touch_for(urls=urls)
    return count


# --- Weekly digest ----------------------------------------------------------------------------


def _editor_emails() -> list[str]:
    """Active staff who may act on link health (the Editors group, or superusers)."""
    permission = Permission.objects.filter(
        content_type__app_label="roadmaps", codename="change_linkstatus"
    ).first()
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    who = Q(is_superuser=True)
    if permission is not None:
        who |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return sorted(set(users.filter(who).values_list("email", flat=True)))


@dataclass(frozen=True)
class DigestUse:
    """A resource that links to a broken URL, as the digest names it."""

    title: str
    roadmap: str
    edit_url: str


@dataclass(frozen=True)
class DigestLink:
    """One confirmed-broken URL in the editors' digest, with what it needs to be fixed."""

    url: str
    problem: str
    failing_since: datetime | None
    last_ok_at: datetime | None
    evidence_url: str
    uses: list[DigestUse]


def _digest_links(rows: list[LinkStatus]) -> list[DigestLink]:
    uses: dict[str, list[DigestUse]] = defaultdict(list)
    resources = Resource.objects.filter(url__in=[row.url for row in rows]).select_related("roadmap")
    for resource in resources:
        edit = absolute_url(reverse("admin:roadmaps_resource_change", args=[resource.pk]))
        uses[resource.url].append(DigestUse(resource.title, str(resource.roadmap), edit))
    for use in sources.url_uses_beyond_resources([row.url for row in rows]):
        uses[use.url].append(DigestUse(use.title, use.place, absolute_url(use.edit_path)))
    return [
        DigestLink(
            url=row.url,
            problem=row.error or row.get_result_display(),
            failing_since=row.failing_since,
            last_ok_at=row.last_ok_at,
            evidence_url=absolute_url(reverse("admin:roadmaps_linkstatus_change", args=[row.pk])),
            uses=uses[row.url],
        )
        for row in rows
    ]


def links_email_digest(*, now: datetime | None = None) -> int:
    """Mail editors the links confirmed broken in the last LINKCHECK_DIGEST_DAYS days, with
    links to the admin (text and HTML, from templates/roadmaps/email/links_digest_*). Returns
    the number of links listed (0: no mail sent)."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.LINKCHECK_DIGEST_DAYS)
    rows = list(
        LinkStatus.objects.broken_for_learners()
        .in_use()
        .filter(confirmed_at__gte=since)
        .order_by("url")
    )
    recipients = _editor_emails()
    if not rows or not recipients:
        return 0
    context = {
        "links": _digest_links(rows),
        "days": settings.LINKCHECK_DIGEST_DAYS,
        "link_health_url": absolute_url(reverse("admin:roadmaps_linkstatus_changelist")),
    }
    # Rendered like allauth renders the account emails: the subject on one line, bodies stripped.
    template = "roadmaps/email/links_digest_{}"
    subject = render_to_string(template.format("subject.txt"), context)
    send_mail(
        subject=" ".join(subject.splitlines()).strip(),
        message=render_to_string(template.format("message.txt"), context).strip(),
        html_message=render_to_string(template.format("message.html"), context).strip(),
        from_email=None,
        recipient_list=recipients,
    )
    return len(rows)
