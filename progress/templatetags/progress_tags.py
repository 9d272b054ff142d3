"""Tags and filters of the progress partials. They render only: what they show comes from
`progress.page`, which loads the learner's data once per request, and (catalog cards) from
`progress.services.catalog_progress`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from progress import page
from progress.learners import learner_for
from progress.models import NOT_STARTED, Progress
from progress.services import catalog_progress
from progress.summaries import Counts, PhaseSummary
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
def catalog_cards(
    context: template.Context, roadmaps: list[Roadmap]
) -> list[tuple[Roadmap, Counts | None]]:
    """The catalog's roadmaps, each with the learner's counts on it (None: not started)."""
    learner = learner_for(context["request"])
    found = catalog_progress(user=learner, roadmaps=roadmaps)
    return [(roadmap, found.get(roadmap.pk)) for roadmap in roadmaps]


@register.simple_tag(takes_context=True)
def phase_progress(context: template.Context, phase: Any) -> PhaseSummary | None:
    """The phase's PhaseSummary, or None while the learner has no progress on the roadmap."""
    return page.page_progress_of(context["request"], phase.roadmap_id).phase(phase.pk)


def _control_buttons(current: str) -> str:
    """The buttons of a control whose item has status `current`: the same for every item, so
    built once per status at import time. Icons come from CSS; labels are the visible text."""
    return "".join(
        f'<button name="status" value="{NOT_STARTED if current == state else state}" '
        f'data-state="{state}" aria-pressed="{"true" if current == state else "false"}" '
        f'aria-keyshortcuts="{key}">{label}</button>'
        for state, label, key in CONTROL_STATES
    )


CONTROL_BUTTONS = {
    status: _control_buttons(status) for status in [*Progress.Status.values, NOT_STARTED]
}


@register.simple_tag(takes_context=True)
def topic_control(context: template.Context, topic: Any) -> SafeString:
    """The three-state control of one item: a form of toggle buttons that works without
    JavaScript. Built from prepared strings rather than a template because it renders once per
    item (2,000 on the largest roadmaps): only the key, title and status vary. The key is a
    validated slug; the title is escaped."""
    progress = page.page_progress_of(context["request"], topic.roadmap_id)
    current = progress.status(topic.pk)
    if current not in CONTROL_BUTTONS:  # a row written around the services
        current = NOT_STARTED
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
