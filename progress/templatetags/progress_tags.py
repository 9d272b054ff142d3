"""Progress on the roadmap page, without the roadmap view's help.

`roadmaps` must not import `progress`, so the page includes our partials and these tags find the
learner's data themselves. The first tag used on a request loads everything for that roadmap
(one query for an account, none for a session) and keeps it on the request; every later tag,
including the per-item control rendered hundreds of times, reads that cache. A learner with no
progress yet costs no summary queries at all: the bars appear with the first mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from progress.learners import LearnerStatus, learner_for
from progress.summaries import RoadmapSummary, roadmap_summaries
from roadmaps.models import Roadmap

register = template.Library()

CACHE_ATTRIBUTE = "_progress_pages"

# Button order, label, icon and keyboard key of the three states; pressing the pressed one
# again returns the item to "not started".
CONTROL_STATES = [
    ("done", "Done", "\u2713", "d"),
    ("in_progress", "In progress", "\u25d0", "i"),
    ("skipped", "Skip", "\u21b7", "s"),
]
STATUS_LABELS = {"done": "done", "in_progress": "in progress", "skipped": "skipped"}


@dataclass
class PageProgress:
    """Everything the partials of one roadmap page need, loaded once per request."""

    roadmap: Roadmap
    is_session: bool
    statuses: dict[int, LearnerStatus]
    summary: RoadmapSummary | None
    control_url: str = ""
    csrf_token: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def completion_headline(self) -> str:
        lines = [line for line in self.roadmap.completion_message.splitlines() if line.strip()]
        return lines[0] if lines else "You completed this roadmap."

    @property
    def completion_lines(self) -> list[str]:
        lines = [line for line in self.roadmap.completion_message.splitlines() if line.strip()]
        return lines[1:]


def page_progress(request: HttpRequest, roadmap: Roadmap) -> PageProgress:
    cache: dict[int, PageProgress] = request.__dict__.setdefault(CACHE_ATTRIBUTE, {})
    found = cache.get(roadmap.pk)
    if found is None:
        learner = learner_for(request)
        statuses = learner.statuses(roadmap_ids=[roadmap.pk])
        summary = roadmap_summaries([roadmap], statuses)[roadmap.pk] if statuses else None
        # One reverse() for the page; keys are slugs, safe to splice into the path.
        placeholder = "__key__"
        url = reverse("progress:set", kwargs={"slug": roadmap.slug, "key": placeholder})
        found = PageProgress(
            roadmap=roadmap,
            is_session=learner.is_session,
            statuses=statuses,
            summary=summary,
            control_url=url.replace(placeholder, "{key}"),
            csrf_token=get_token(request),
        )
        cache[roadmap.pk] = found
    return found


def forget_page_progress(request: HttpRequest) -> None:
    request.__dict__.pop(CACHE_ATTRIBUTE, None)


def _roadmap_of(request: HttpRequest, roadmap_id: int) -> Roadmap:
    cache: dict[int, PageProgress] = request.__dict__.get(CACHE_ATTRIBUTE, {})
    if roadmap_id in cache:
        return cache[roadmap_id].roadmap
    return Roadmap.objects.get(pk=roadmap_id)


@register.simple_tag(takes_context=True)
def roadmap_progress(context: template.Context, roadmap: Roadmap) -> PageProgress:
    return page_progress(context["request"], roadmap)


@register.simple_tag(takes_context=True)
def phase_progress(context: template.Context, phase: Any) -> Any:
    """The phase's PhaseSummary, or None while the learner has no progress on the roadmap."""
    request = context["request"]
    progress = page_progress(request, _roadmap_of(request, phase.roadmap_id))
    return progress.summary.phase(phase.pk) if progress.summary else None


def _control_buttons(current: str) -> str:
    """The buttons of a control whose item has status `current`: the same for every item, so
    built once per status at import time. Icons come from CSS; labels are the visible text."""
    return "".join(
        f'<button name="status" value="{"none" if current == state else state}" '
        f'data-state="{state}" aria-pressed="{"true" if current == state else "false"}" '
        f'aria-keyshortcuts="{key}">{label}</button>'
        for state, label, _icon, key in CONTROL_STATES
    )


CONTROL_BUTTONS = {status: _control_buttons(status) for status in [*STATUS_LABELS, "none"]}


@register.simple_tag(takes_context=True)
def topic_control(context: template.Context, topic: Any) -> SafeString:
    """The three-state control of one item: a form of toggle buttons that works without
    JavaScript. Built from prepared strings rather than a template because it renders once per
    item (2,000 on the largest roadmaps): only the key, title and status vary. The key is a
    validated slug; the title is escaped."""
    request = context["request"]
    progress = page_progress(request, _roadmap_of(request, topic.roadmap_id))
    found = progress.statuses.get(topic.pk)
    current = found.status if found and found.status in CONTROL_BUTTONS else "none"
    key = escape(topic.key)
    # The form stays unnamed: a named form is a landmark, and hundreds of them would bury the
    # page's real landmarks; the group carries the item's name instead.
    return mark_safe(  # every variable part is escaped above, or one of our fixed strings
        f'<form class="pc" method="post" action="{progress.control_url.format(key=key)}" '
        f'data-topic="{key}" data-status="{current}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{progress.csrf_token}">'
        f'<div role="group" aria-label="Progress of {escape(topic.title)}">'
        f"{CONTROL_BUTTONS[current]}</div></form>"
    )


@register.filter
def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", "not started")


@register.filter
def bar_shares(counts: Any) -> dict[str, int]:
    """Segment widths of a progress bar in thousandths of its length: done, in progress and
    skipped side by side, so done + skipped filling the bar is what 100% looks like."""
    total = max(counts.total, 1)
    done = counts.done * 1000 // total
    in_progress = counts.in_progress * 1000 // total
    skipped = counts.skipped * 1000 // total
    if counts.total and counts.done + counts.in_progress + counts.skipped == counts.total:
        skipped = 1000 - done - in_progress  # no hairline gap from rounding at the end
    return {
        "done": done,
        "in_progress": in_progress,
        "skipped": skipped,
        "skipped_x": done + in_progress,
    }


@register.filter
def ago(moment: Any) -> str:
    """'just now' under a minute (timesince would say '0 minutes'), else '3 days ago'."""
    from django.utils import timezone
    from django.utils.timesince import timesince

    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"
