"""LinkStatus: what the link checker last found at each distinct resource URL.

The model belongs to the `roadmaps` app (its table, label and migrations are the app's);
`roadmaps.models` re-exports it. This module therefore never imports `roadmaps.models` (the two
would import each other): the querysets reach `Resource` (and the other URL sources that
`roadmaps.linkcheck.sources` lists) through the app registry instead.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Value, When

from roadmaps.linkcheck import sources


class LinkStatusQuerySet(models.QuerySet["LinkStatus"]):
    def for_url(self, url: object) -> LinkStatusQuerySet:
        return self.filter(url=url)

    def broken_for_learners(self) -> LinkStatusQuerySet:
        """Confirmed broken and not overridden by an editor: hidden from learners."""
        return self.filter(confirmed_broken=True, override=LinkStatus.Override.NONE)

    def shown_result(self) -> LinkStatusQuerySet:
        """Annotate `shown_result`: the last result, or "ok" where an editor accepted the URL."""
        return self.annotate(
            shown_result=Case(
                When(override=LinkStatus.Override.ACCEPTED, then=Value("ok")),
                default="result",
                output_field=models.CharField(),
            )
        )

    def in_use(self) -> LinkStatusQuerySet:
        """URLs at least one resource (or another registered source, such as a course: see
        `sources`) still links to; rows of removed URLs linger harmlessly."""
        return self.filter(sources.url_used())

    def for_roadmap(self, roadmap: models.Model | int) -> LinkStatusQuerySet:
        """URLs that resources (or other sources) of `roadmap` (a Roadmap or its id) link to."""
        return self.filter(sources.url_used_by_roadmap(roadmap))


class LinkStatus(models.Model):
    """What the link checker last found at one URL. Several resources may share a URL; they all
    share this row. Written only by roadmaps.linkcheck.services."""

    class Result(models.TextChoices):
        OK = "ok", "OK"
        REDIRECTED = "redirected", "Moved (update the URL)"
        BROKEN = "broken", "Broken"
        UNKNOWN = "unknown", "Unknown (could not tell)"
        BLOCKED = "blocked", "Blocked (private address)"

    class Override(models.TextChoices):
        NONE = "", "None"
        ACCEPTED = "accepted", "Accepted as OK"
        IGNORED = "ignored", "Ignored (not checked)"

    url = models.CharField(
        max_length=500, unique=True, help_text="The address as resources use it."
    )
    result = models.CharField(
        max_length=12,
        choices=Result.choices,
        blank=True,
        db_index=True,
        help_text="The last check's verdict; empty until the first check.",
    )
    http_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="HTTP status of the last response, if there was one."
    )
    final_url = models.CharField(
        max_length=2000, blank=True, help_text="Where the redirects ended on the last check."
    )
    redirect_chain = models.JSONField(
        default=list, blank=True, help_text="Every hop of the last check: URL and status."
    )
    suggestion = models.CharField(
        max_length=2000,
        blank=True,
        help_text="The address to use instead, when the site says the page moved for good.",
    )
    error = models.TextField(blank=True, help_text="What went wrong on the last check.")
    checked_at = models.DateTimeField(null=True, blank=True, help_text="Time of the last check.")
    last_ok_at = models.DateTimeField(
        null=True, blank=True, help_text="The last time the link worked."
    )
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="First check of the current run of failures."
    )
    consecutive_failures = models.PositiveSmallIntegerField(
        default=0, help_text="Checks in a row that found the link broken."
    )
    confirmed_broken = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Broken on several checks spread over time: hidden from learners until it "
        "works again.",
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the link was confirmed broken."
    )
    check_count = models.PositiveIntegerField(default=0, help_text="Checks recorded so far.")
    next_check_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When the link is due for its next check."
    )
    lease_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A checker is working on this URL until then (expires if it died).",
    )
    lease_token = models.CharField(max_length=32, blank=True)
    override = models.CharField(
        max_length=10,
        choices=Override.choices,
        blank=True,
        default=Override.NONE,
        help_text="Accepted as OK: checked, but never hidden or reported. Ignored: not checked "
        "at all.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LinkStatusQuerySet.as_manager()

    class Meta:
        app_label = "roadmaps"  # said, not inferred from the module path: see the docstring
        ordering = ["url"]
        verbose_name = "link status"
        verbose_name_plural = "link health"

    def __str__(self) -> str:
        return self.url
