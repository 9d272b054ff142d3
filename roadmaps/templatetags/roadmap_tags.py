"""Template helpers of the public site."""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.search_terms import search_terms

register = template.Library()


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """Escape `text` and wrap the words that start with a search term in <mark>.

    Matching on word starts mirrors the search itself (stems and a prefix on the last word), so
    "blueprint" marks "Blueprints" without marking the middle of unrelated words."""
    text = text or ""
    terms = search_terms(query or "")
    if not terms:
        return escape(text)
    # Terms are letters and digits only (search_terms), so they are safe inside a pattern. The
    # words are found in the text itself and each piece escaped on its own: matching the escaped
    # markup would mark inside entities ("&<mark>lt</mark>;" for a search for "lt").
    pattern = re.compile(
        r"\b(" + "|".join(sorted(terms, key=len, reverse=True)) + r")\w*",
        re.IGNORECASE,
    )
    pieces: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[start : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        start = match.end()
    pieces.append(escape(text[start:]))
    return mark_safe("".join(pieces))


@register.simple_tag
def site_url() -> str:
    """The public origin (SITE_URL), for canonical and Open Graph links."""
    return settings.SITE_URL


@register.filter
def first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


@register.filter
def other_lines(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    return [line for line in lines[1:] if line]


@register.filter
def paragraphs(text: str) -> list[str]:
    """Plain text split on blank lines, as FAQ answers are written."""
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]
