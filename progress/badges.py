"""The SVG progress badge learners embed in a README: "<roadmap> | 24% · 42/173".

Plain string building with every text escaped for XML; widths are estimated from character
counts (no font metrics on the server), generous enough for Verdana-like fonts.
"""

from __future__ import annotations

from django.utils.html import escape

from progress.summaries import Counts

THEMES = {
    # label background, label text, value background, value text, border
    "light": ("#e8ecf1", "#1f2933", "#1f7a4d", "#ffffff", "#c9d2dc"),
    "dark": ("#2b313a", "#e6edf3", "#3fb27f", "#0d1117", "#444c56"),
}
CHAR_WIDTH = 6.6
PADDING = 10
MAX_TITLE = 40


def _text_width(text: str) -> int:
    return int(len(text) * CHAR_WIDTH + 2 * PADDING)


def badge_svg(*, title: str, counts: Counts, theme: str = "light") -> str:
    label_bg, label_fg, value_bg, value_fg, border = THEMES[theme]
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1] + "\u2026"
    value = f"{counts.percent}% \u00b7 {counts.done}/{counts.total}"
    label_width, value_width = _text_width(title), _text_width(value)
    width = label_width + value_width
    summary = (
        f"{title}: {counts.done} of {counts.total} done ({counts.percent}%), "
        f"{counts.in_progress} in progress, {counts.skipped} skipped"
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="20" viewBox="0 0 {width} 20" role="img" '
        f'aria-label="{escape(summary)}">'
        f"<title>{escape(summary)}</title>"
        f'<rect width="{width}" height="20" rx="4" fill="{label_bg}" stroke="{border}"/>'
        f'<rect x="{label_width}" width="{value_width}" height="20" rx="4" fill="{value_bg}"/>'
        f'<rect x="{label_width}" width="6" height="20" fill="{value_bg}"/>'
        '<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{label_width / 2:.1f}" y="14" fill="{label_fg}">{escape(title)}</text>'
        f'<text x="{label_width + value_width / 2:.1f}" y="14" fill="{value_fg}" '
        f'font-weight="bold">{escape(value)}</text>'
        "</g></svg>\n"
    )
