"""Tags and filters of the progress partials. They render only: what they show comes from
`progress.page`, which loads the learner's data once per request."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from progress import page
from progress.models import NOT_STARTED, Progress
from progress.summaries import PhaseSummary
from roadmaps.models import Roadmap

register = template.Library()

# Button order, visible label and keyboard key of the three states; pressing the pressed one
# again returns the item to "not started". Labels are verbs ("Skip"), not the status names.
CONTROL_STATES = [
    (Progress.Status.DONE.value, "Done", "d"),
    (Progress.Status.IN_PROGRESS.value, "In progress", "i"),
    (Progress.Status.SKIPPED.value, "Skip", "s"),
]


@register.simple_tag(takes_context=True)
def roadmap_progress(context: template.Context, roadmap: Roadmap) -> page.PageProgress:
    return page.page_progress(context["request"], roadmap)


@register.simple_tag(takes_context=True)
def phase_progress(context: template.Context, phase: Any) -> PhaseSummary | None:
    """The phase's PhaseSummary, or None while the learner has no progress on the roadmap."""
    return page.page_progress_of(context["request"], phase.roadmap_id).phase(phase.pk)


def _control_buttons(current: str) -> str:
    """The buttons of a control whose item has status `current`, with `{key}` left to fill.
    Each is named after its item: the page's one form (`#pcf`, with the one CSRF token) posts
    `<key>=<status>`. Icons and colours come from CSS by position; keys d/i/s are explained
    once on the page rather than repeated on every button."""
    return "".join(
        f'<button name="{{key}}" value="{NOT_STARTED if current == state else state}" '
        f'aria-pressed="{"true" if current == state else "false"}">{label}</button>'
        for state, label, _key in CONTROL_STATES
    )


CONTROL_BUTTONS = {
    status: _control_buttons(status) for status in [*Progress.Status.values, NOT_STARTED]
}


def control_html(*, key: str, title: str, status: str) -> str:
    """One item's control: a group of toggle buttons of the page's form `#pcf`, which works
    without JavaScript. Built from prepared strings: it renders once per item (2,000 on the
    largest roadmaps). `key` is a validated slug; both are escaped here."""
    if status not in CONTROL_BUTTONS:  # a row written around the services
        status = NOT_STARTED
    key = escape(key)
    # A group, not a form or landmark: hundreds of them would bury the page's real landmarks.
    return (
        f'<div class="pc" data-topic="{key}" data-status="{status}" role="group" '
        f'aria-label="Progress of {escape(title)}">'
        + CONTROL_BUTTONS[status].replace("{key}", key)
        + "</div>"
    )


@register.simple_tag(takes_context=True)
def topic_control(context: template.Context, topic: Any) -> SafeString:
    """The three-state control of one item with the learner's status (`control_html`)."""
    progress = page.page_progress_of(context["request"], topic.roadmap_id)
    html = control_html(key=topic.key, title=topic.title, status=progress.status(topic.pk))
    return mark_safe(html)  # every variable part is escaped in control_html


@register.filter
def status_label(status: str | None) -> str:
    return page.status_label(status)


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
    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"
