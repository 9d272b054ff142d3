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
    escaped = escape(text or "")
    terms = search_terms(query or "")
    if not terms:
        return escaped
    # Terms are letters and digits only (search_terms), so they are safe inside a pattern, and
    # escaping cannot have changed them.
    pattern = re.compile(
        r"\b(" + "|".join(sorted(terms, key=len, reverse=True)) + r")\w*",
        re.IGNORECASE,
    )
    return mark_safe(pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped))


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
