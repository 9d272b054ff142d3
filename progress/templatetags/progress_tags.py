"""Tags and filters of the progress partials. They render only: what they show comes from
`progress.page`, which loads the learner's data once per request, and (catalog cards) from
`progress.services.catalog_progress`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from common.splice import splice_later
from common.stored import Store
from progress import page, parts
from progress.fill import fill_plan
from progress.learners import learner_for
from progress.models import NOT_STARTED, STATUS_CODES, Progress
from progress.services import catalog_progress
from progress.summaries import Counts, PhaseSummary
from roadmaps.models import Roadmap

register = template.Library()

# Button order, visible label and code (the keyboard key, the form's value) of the three
# states; pressing the pressed one again returns the item to "not started". Labels are verbs
# ("Skip"), not the status names.
CODE_OF = {status: code for code, status in STATUS_CODES.items()}
CONTROL_STATES = [
    (Progress.Status.DONE.value, "Done", CODE_OF[Progress.Status.DONE.value]),
    (Progress.Status.IN_PROGRESS.value, "In progress", CODE_OF[Progress.Status.IN_PROGRESS.value]),
    (Progress.Status.SKIPPED.value, "Skip", CODE_OF[Progress.Status.SKIPPED.value]),
]
NONE_CODE = CODE_OF[NOT_STARTED]


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
    """The buttons of a control whose item has status `current`, with `{key}` left to fill.
    Each is named after its item: the page's one form (`#pcf`, with the one CSRF token) posts
    `<key>=<code>` (`STATUS_CODES`: the keyboard keys d/i/s, n to clear). Icons and colours
    come from CSS by position; the keys are explained once on the page rather than repeated
    on every button."""
    return "".join(
        f'<button name="{{key}}" value="{NONE_CODE if current == state else code}" '
        f'aria-pressed="{"true" if current == state else "false"}">{label}</button>'
        for state, label, code in CONTROL_STATES
    )


CONTROL_BUTTONS = {
    status: _control_buttons(status) for status in [*Progress.Status.values, NOT_STARTED]
}


def control_html(*, key: str, title: str, status: str, escaped: bool = False) -> str:
    """One item's control: a group of toggle buttons of the page's form `#pcf`, which works
    without JavaScript. Built from prepared strings: it renders once per item (2,000 on the
    largest roadmaps), so it carries only what each button needs: its item's key as its name,
    the status it sets as its value, whether it is pressed; the group is named after the item.
    The status shows from the pressed button (CSS, script). `key` is a validated slug; both are
    escaped here unless `escaped` says they were already (a stored page's markers)."""
    if status not in CONTROL_BUTTONS:  # a row written around the services
        status = NOT_STARTED
    if not escaped:
        key, title = escape(key), escape(title)
    # A group, not a form or landmark: hundreds of them would bury the page's real landmarks.
    return (
        f'<div class="pc" role="group" aria-label="{title}">'
        + CONTROL_BUTTONS[status].replace("{key}", key)
        + "</div>"
    )


@register.simple_tag(takes_context=True)
def topic_control(context: template.Context, topic: Any) -> SafeString:
    """The three-state control of one item with the learner's status (`control_html`)."""
    progress = page.page_progress_of(context["request"], topic.roadmap_id)
    html = control_html(key=topic.key, title=topic.title, status=progress.status(topic.pk))
    return mark_safe(html)  # every variable part is escaped in control_html


@register.simple_tag(takes_context=True)
def progress_part(context: template.Context, kind: str, phase: Any = None) -> SafeString:
    """A learner's part of the page rendered in place (pages that are not stored): the same
    strings `progress_fill` puts into a stored page's markers."""
    roadmap = context["roadmap"]
    progress = page.page_progress(context["request"], roadmap)
    return mark_safe(
        _part(progress, kind, phase.pk if phase else 0, phase.position if phase else 0)
    )


def _part(progress: page.PageProgress, kind: str, phase_id: int, position: int) -> str:
    if kind == "o":
        return parts.phase_row_html(position, parts.phase_counts(progress, phase_id))
    if kind == "n":
        return parts.phase_nav_html(position, parts.phase_counts(progress, phase_id))
    if kind == "s":
        return parts.sticky_html(progress.summary.items if progress.summary else None)
    if kind == "k":
        return parts.completion_html(progress)
    raise ValueError(f"No page part of kind {kind!r}.")


@register.simple_tag(takes_context=True)
def progress_fill(context: template.Context, content: str, roadmap: Roadmap) -> SafeString:
    """The stored main content of a roadmap page (roadmaps.pages) with this learner's parts put
    in its markers (`progress.fill`): the progress summary, each phase's bar and figures, each
    item's control, the overall bar and the completion block. The template is not rendered
    again; only the learner's own parts are chosen or built."""
    request = context["request"]
    progress = page.page_progress(request, roadmap)

    def part(kind: str, phase_id: int, position: int) -> str:
        if kind == "r":
            return _summary_part(request, roadmap, progress, context.get("user"))
        if kind == "p":
            return _phase_bar(progress, phase_id, position)
        return _part(progress, kind, phase_id, position)

    def fill() -> list[bytes]:
        plan = fill_plan(content, control=_stored_control, statuses=CONTROL_STATUSES)
        return plan.fill(statuses=progress.statuses, part=part)

    # The filled content is made of the content (one per content version and language) and
    # the learner's marks: kept per (progress version, content version), as their statuses
    # are (progress.summaries.learner_progress). The pieces are shared, never changed.
    progress_key = learner_for(request).progress_key
    if progress_key is None:
        pieces = fill()
    else:
        learner_id, version = progress_key
        key = (learner_id, roadmap.pk, str(context.get("preferred_language", "")))
        pieces = FILLED.get(key, (version, roadmap.content_version), fill)
    # Stored content is ours and the parts are escaped; they go into the rendered page after
    # the template ran (the view splices them), not through every level of the template.
    return splice_later(request, pieces)


FILLED: Store[list[bytes]] = Store(max_entries=256)


CONTROL_STATUSES = tuple(CONTROL_BUTTONS)
SUMMARY_PARTS: Store[str] = Store(max_entries=1024)


def _summary_part(request: Any, roadmap: Roadmap, progress: page.PageProgress, user: Any) -> str:
    """The progress summary at the top of the page, rendered once per what it shows: its
    markup is made of the roadmap's slug, the learner's figures (counts, months left, next
    item, retired items) and whether they are signed in, nothing else (no time, no token), so
    learners with the same figures share it and a learner's next visit reuses it."""
    summary = progress.summary
    figures: tuple[object, ...] | None = None
    if summary is not None:
        next_up = (summary.next_up.key, summary.next_up.title) if summary.next_up else None
        retired = tuple((ref.title, ref.status) for ref in summary.retired)
        counts = (summary.items, summary.projects, summary.goals)
        figures = (*counts, summary.months_left, next_up, retired)
    signed_in = bool(getattr(user, "is_authenticated", False))
    key = (roadmap.pk, roadmap.slug, progress.is_session, signed_in, figures)
    summary_context = {"roadmap": roadmap, "user": user}
    return SUMMARY_PARTS.get(
        key,
        None,
        lambda: render_to_string(
            "progress/_roadmap_progress.html", summary_context, request=request
        ),
    )


def _stored_control(key: str, title_html: str, status: str) -> str:
    # The key is a slug and the title was escaped when the content was rendered.
    return control_html(key=key, title=title_html, status=status, escaped=True)


def _phase_bar(progress: page.PageProgress, phase_id: int, position: int) -> str:
    phase_summary = progress.phase(phase_id)
    if phase_summary is None or not phase_summary.items.total:
        return f'<div class="pg-phase" id="progress-phase-{phase_id}"></div>'
    return phase_summary_html(
        phase_id=phase_id,
        position=position,
        items=phase_summary.items,
        projects=phase_summary.projects,
    )


@functools.lru_cache(maxsize=4096)
def phase_summary_html(*, phase_id: int, position: int, items: Counts, projects: Counts) -> str:
    """A phase's bar and counts: the same markup for the same figures, so rendered once per
    figures (many learners share them, and a learner's page repeats them on every visit)."""
    return render_to_string(
        "progress/_phase_summary.html",
        {
            "phase": PhaseRef(pk=phase_id, position=position),
            "phase_summary": PhaseFigures(items=items, projects=projects),
        },
    )


@dataclass(frozen=True)
class PhaseFigures:
    items: Counts
    projects: Counts


@dataclass(frozen=True)
class PhaseRef:
    """What the phase partial needs of a phase: its id and position."""

    pk: int
    position: int


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
