"""Reading a phase's subtitle ("Beginner Level (1-1.5 Months)") into a level, a level label and
a duration.

The old site writes the level and the time a phase takes as one line of free text:
- The level comes from words in the subtitle only; a subtitle without one ("Reality Check",
  "Phase 3") gives a phase without a level, and the report says so. Nothing is guessed.
- A range in months, weeks or days ("0-1 Month", "1-1.5 Months", "3-4 Weeks", "10 Days")
  becomes the duration's range, with the range as written kept as its label; a percentage
  ("30%") becomes a label without a range. What is left of the subtitle is the level label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from roadmaps.choices import Level
from roadmaps.durations import DurationError, duration_range, unit_of

_LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bpre-?requisites?\b|\bfoundations?\b|\bbasics? first\b", Level.PREREQUISITE),
    (r"\bbeginners?\b|\bnovice\b|\bfundamentals?\b", Level.BEGINNER),
    (r"\bintermediate\b", Level.INTERMEDIATE),
    (r"\badvanced\b", Level.ADVANCED),
    (r"\bexperts?\b|\bmastery\b|\bprofessional\b|\bindustry\b", Level.EXPERT),
)
_NUMBER = r"\d+(?:\.\d+)?"
_RANGE = re.compile(
    rf"\(?\s*(?P<low>{_NUMBER})\s*(?:(?:[-\u2013\u2014]|to)\s*(?P<high>{_NUMBER}))?\s*"
    r"(?P<unit>months?|weeks?|days?|%)(?![a-z])\s*\)?",
    re.IGNORECASE,
)
_EDGES = " -\u2013\u2014:,|()"


@dataclass(frozen=True)
class PhaseLevel:
    level: str  # one of the five, or "" when the subtitle names none
    label: str
    duration: dict[str, Any] | None  # the content file's `duration` mapping
    notes: tuple[str, ...] = ()


def _level_in(text: str) -> str:
    lowered = text.lower()
    for pattern, level in _LEVEL_WORDS:
        if re.search(pattern, lowered):
            return str(level)
    return ""


def _number(text: str) -> int | float:
    return int(text) if text.isdigit() else float(text)


def _duration(subtitle: str) -> tuple[dict[str, Any] | None, str, list[str]]:
    """(the duration mapping or None, the subtitle without it, notes)."""
    match = _RANGE.search(subtitle)
    if not match:
        return None, subtitle, []
    written = match[0].strip(_EDGES)
    rest = (subtitle[: match.start()] + " " + subtitle[match.end() :]).strip(_EDGES)
    rest = re.sub(r"\s{2,}", " ", rest)
    if match["unit"] == "%":
        return {"label": written}, rest, [f"share {written!r} kept as a label without a range"]
    low, high = match["low"], match["high"] or match["low"]
    try:
        checked = duration_range(low, high, unit_of(match["unit"].lower().rstrip("s") + "s"))
    except DurationError as error:
        return {"label": written}, rest, [f"duration {written!r} kept as a label only: {error}"]
    duration: dict[str, Any] = {"min": _number(low)}
    if checked.high != checked.low:
        duration["max"] = _number(high)
    duration |= {"unit": checked.unit, "label": written}
    return duration, rest, []


def phase_level(subtitle: str, title: str = "") -> PhaseLevel:
    """The level, label and duration of a phase from its subtitle, noting what was decided.
    `title` is only named in the notes: a level is never guessed from it."""
    duration, label, notes = _duration(subtitle.strip())
    level = _level_in(subtitle)
    if level:
        notes.append(f"level {level} from subtitle {subtitle!r}")
    else:
        named = f"subtitle {subtitle!r}" if subtitle.strip() else f"phase {title!r} has no subtitle"
        notes.append(f"no level: {named} names none, so the phase has none")
    return PhaseLevel(level=level, label=label, duration=duration, notes=tuple(notes))
