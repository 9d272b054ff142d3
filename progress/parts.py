"""The learner's small parts of the roadmap page beside the item controls: each phase's figures
in the overview and in the phase navigator, the overall bar that stays in view, and the
completion block. Built as strings from a learner's figures, so the stored page's markers are
filled without rendering a template per phase (`progress_tags.progress_fill`), and the same
strings answer a mark made with JavaScript (`views._update`), so the page and the answer never
disagree. Each part has an id that JavaScript replaces it by.
"""

from __future__ import annotations

import functools

from django.template.loader import render_to_string

from progress.page import PageProgress, completion_text
from progress.summaries import Counts

STICKY_ID = "sticky-pg"
COMPLETION_ID = "completion"


def phase_row_html(position: int, counts: Counts | None) -> str:
    """A phase's figures in the overview: "3 of 10 done", empty before the learner starts."""
    if counts is None or not counts.started:
        return f'<span class="ovp" id="ovp-{position}"></span>'
    done = " ovp--done" if counts.is_complete else ""
    return (
        f'<span class="ovp{done}" id="ovp-{position}">{counts.done} of {counts.total} done</span>'
    )


def phase_nav_html(position: int, counts: Counts | None) -> str:
    """A phase's figure in the navigator: its percent, a tick when complete. `nvp--done` is
    also what the page's script folds completed phases by."""
    if counts is None or not counts.started:
        return f'<span class="nvp" id="nvp-{position}"></span>'
    if counts.is_complete:
        return (
            f'<span class="nvp nvp--done" id="nvp-{position}">'
            '<span aria-hidden="true">✓</span><span class="sr-only">, complete</span></span>'
        )
    return (
        f'<span class="nvp" id="nvp-{position}"><span class="sr-only">, </span>'
        f'{counts.percent}%<span class="sr-only"> done</span></span>'
    )


@functools.lru_cache(maxsize=1024)
def sticky_html(counts: Counts | None) -> str:
    """The overall bar that stays in view with the navigator; the page's script adds the
    current phase's line under it. Empty (but present, to be replaced) before any mark."""
    if counts is None or not counts.started:
        return f'<div class="sticky-pg" id="{STICKY_ID}"></div>'
    bar = render_to_string(
        "progress/_bar.html", {"counts": counts, "small": True, "label": "Roadmap"}
    )
    return (
        f'<div class="sticky-pg" id="{STICKY_ID}">{bar}'
        f'<p class="sticky-pg__text"><span>Overall</span> <strong>{counts.percent}%</strong> · '
        f"{counts.done} of {counts.total} done</p>"
        '<p class="sticky-pg__phase" data-current-phase></p></div>'
    )


def phase_counts(progress: PageProgress, phase_id: int) -> Counts | None:
    summary = progress.phase(phase_id)
    return summary.items if summary else None


def has_emoji(text: str) -> bool:
    """Whether `text` carries a pictograph already (imported titles often start with one)."""
    return any(ord(char) >= 0x1F000 or 0x2600 <= ord(char) < 0x27C0 for char in text)


def completion_html(progress: PageProgress) -> str:
    """The completion block: the roadmap's congratulations once the learner completed it,
    before that what completing it means (and how far the learner is)."""
    summary = progress.summary
    return _completion_html(progress.roadmap.completion_message, summary.items if summary else None)


@functools.lru_cache(maxsize=1024)
def _completion_html(message: str, items: Counts | None) -> str:
    # Rendered once per message and figures: it is on every learner's page and in every
    # answer to a mark, and many learners share their figures.
    complete = bool(items and items.is_complete)
    headline, lines = completion_text(message)
    return render_to_string(
        "progress/_completion.html",
        {
            "complete": complete,
            "headline": headline,
            "lines": lines,
            "emoji": complete and not has_emoji(headline),
            "summary": {"items": items} if items else None,
            "left": items.total - items.done - items.skipped if items else 0,
            "element_id": COMPLETION_ID,
        },
    )
