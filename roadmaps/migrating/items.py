"""Reading an item line ("Title → summary", "Project: Build a blog") and giving every item a
key that stays the same from one run to the next.

Keys come from the title alone (plus the section, then a number, when two items share a title),
in the order items appear, so the same repository always gives the same keys and running the
import again updates the rows learners' progress points at instead of adding new ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.text import slugify

KEY_LENGTH = 100
_ARROW = re.compile(r"\s*(?:→|->|⇒|=>)\s*")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
_PREFIXES = {"project": "project", "mini project": "project", "goal": "goal", "outcome": "goal"}
_PREFIX = re.compile(r"^\s*(?P<prefix>mini project|project|goal|outcome)\s*[:\-\u2013]\s*", re.I)


@dataclass(frozen=True)
class ItemText:
    title: str
    summary: str
    kind: str


def item_text(line: str) -> ItemText:
    """Split an item into title and summary at its first arrow (a second arrow stays in the
    summary) and read a "Project:"/"Goal:"/"Outcome:" prefix as the item's kind."""
    text = _NUMBERED.sub("", " ".join(line.split()))
    kind = "topic"
    match = _PREFIX.match(text)
    if match:
        kind = _PREFIXES[match["prefix"].lower()]
        text = text[match.end() :]
    parts = _ARROW.split(text, maxsplit=1)
    title = parts[0].strip()
    summary = parts[1].strip() if len(parts) > 1 else ""
    return ItemText(title=title, summary=summary, kind=kind)


def key_base(text: str) -> str:
    # slugify keeps letters of every script; keys are ASCII, so anything else is left out.
    slug = slugify(text.encode("ascii", "ignore").decode()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug[:KEY_LENGTH].strip("-")


class KeyMaker:
    """Deterministic keys, unique within one roadmap; `renamed` lists each duplicate it moved."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.renamed: list[str] = []

    def key(self, title: str, *, context: str) -> str:
        base = key_base(title) or "item"
        if base not in self.used:
            self.used.add(base)
            return base
        candidate = key_base(f"{base}-{context}") or base
        number = 2
        while candidate in self.used:
            suffix = f"-{number}"
            candidate = base[: KEY_LENGTH - len(suffix)] + suffix
            number += 1
        self.used.add(candidate)
        self.renamed.append(f"duplicate item {title!r}: key {candidate!r} (first is {base!r})")
        return candidate
