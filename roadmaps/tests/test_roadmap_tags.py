"""The search highlighter (roadmaps/templatetags/roadmap_tags.py): marks words, never markup."""

from __future__ import annotations

import pytest

from roadmaps.templatetags.roadmap_tags import highlight


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("JWT authentication", "jwt", "<mark>JWT</mark> authentication"),
        ("Blueprints and apps", "blueprint", "<mark>Blueprints</mark> and apps"),
        # Entities of the escaped text are never split: "lt" and "amp" match words only.
        ("a < b & c", "lt", "a &lt; b &amp; c"),
        ("lt < gt", "lt gt", "<mark>lt</mark> &lt; <mark>gt</mark>"),
        ("amp & ampersand", "amp", "<mark>amp</mark> &amp; <mark>ampersand</mark>"),
        (
            "<script>alert(1)</script>",
            "script",
            "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;",
        ),
        (
            "Quotes \"q\" and 'q'",
            "q",
            "<mark>Quotes</mark> &quot;<mark>q</mark>&quot; and &#x27;<mark>q</mark>&#x27;",
        ),
        ("No terms", "?!", "No terms"),
        ("", "flask", ""),
    ],
)
def test_highlight_marks_words_and_escapes_everything_else(text, query, expected):
    assert str(highlight(text, query)) == expected
