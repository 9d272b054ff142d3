"""Item bodies: Markdown written by editors, shown to learners as a small, safe piece of HTML.

Two steps, each enough on its own for the common cases and together for the rest:
- markdown-it-py (CommonMark) with raw HTML off, so `<script>` in a body is text, and its
  link check on, so `javascript:` and `data:` links never become links;
- nh3 (a maintained sanitizer) keeps only the tags and attributes below and drops every
  other element, attribute and comment (images, tables, `on*` handlers, styles, classes).
  An image is dropped whole: a body shows no pictures from other sites.

Headings become h3/h4: on every page that shows a body, the item's title is the heading above it.
Task lists stay plain text ("[ ] Write the tests"): a checkbox nobody can tick would only
confuse, and learners mark the item itself. Links get rel="noopener nofollow" and only http,
https and mailto addresses; a link to anything else keeps its text and loses its address.

Rendering happens once per content version: `Topic.body_html` is filled when an item is saved
in the admin and when a content file is applied (`roadmaps.content.fields`, kind "markdown").
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

BODY_MAX_LENGTH = 10_000

ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "strong",
    "em",
    "h3",
    "h4",
    "a",
    "blockquote",
    "hr",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "ol": {"start"}}
LINK_SCHEMES = ("http://", "https://", "mailto:")

_markdown = MarkdownIt("commonmark", {"html": False})


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # nh3's url_schemes lets relative addresses through; a body's links leave the site.
    if tag == "a" and attribute == "href" and not value.lower().startswith(LINK_SCHEMES):
        return None
    return value


def markdown_html(text: str) -> str:
    """`text` (Markdown) as sanitized HTML; '' for an empty body."""
    if not text.strip():
        return ""
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "h3" if token.tag in ("h1", "h2") else "h4"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
        attribute_filter=_attribute_filter,
    ).strip()
