"""Small helpers the mapping modules share: fitting text into a model field, URL checks and
the per-file tally of fields left out."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError

from roadmaps.migrating.report import MigrationReport
from roadmaps.validators import validate_http_url


def clean_text(value: Any) -> str:
    """Text with its lines' inner runs of spaces kept but surrounding blank space removed;
    numbers become text, anything else is empty."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return ""
    lines = [" ".join(line.split()) for line in value.strip().splitlines()]
    return "\n".join(lines).strip()


def fit(text: str, limit: int, *, where: str, report: MigrationReport) -> str:
    """`text` cut at a word boundary to fit a field of `limit` characters, noting the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    report.dropped.append(f"{where}: shortened from {len(text)} to {limit} characters")
    return cut


def http_url(value: Any) -> str | None:
    """The URL if it is a full http(s) address, else None ("#", "/local", "javascript:")."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        validate_http_url(url)
    except ValidationError:
        return None
    return url if len(url) <= 500 else None


class Tally:
    """Counts the fields left out of each file, so the report says "color (12 values)" once
    rather than twelve times."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def drop(self, source: str, entry: dict[str, Any], kept: tuple[str, ...]) -> None:
        for key in entry:
            if key not in kept:
                self.counts[(source, key)] += 1

    def flush(self, report: MigrationReport, reasons: dict[str, str]) -> None:
        for (source, key), number in sorted(self.counts.items()):
            values = "value" if number == 1 else "values"
            reason = f": {reasons[key]}" if key in reasons else ""
            report.dropped.append(f"{source}: field {key!r} ({number} {values}){reason}")
        self.counts.clear()
