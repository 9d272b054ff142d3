"""Reading a phase's subtitle ("Beginner Level (0-1 Month)") into a level and a month range.

The old site writes the level and the time a phase takes as one line of free text. The level
is guessed from words in it (or, failing that, from the phase before); a whole-month range
becomes `months`. Ranges the format cannot hold yet (weeks, days, fractions, percentages) stay
in the label as written, and the report says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from roadmaps.choices import Level

_LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bpre-?requisites?\b|\bfoundations?\b|\bbasics? first\b", Level.PREREQUISITE),
    (r"\bbeginners?\b|\bnovice\b|\bfundamentals?\b", Level.BEGINNER),
    (r"\bintermediate\b", Level.INTERMEDIATE),
    (r"\badvanced\b", Level.ADVANCED),
    (r"\bexperts?\b|\bmastery\b|\bprofessional\b|\bindustry\b", Level.EXPERT),
)
_NUMBER = r"\d+(?:\.\d+)?"
_RANGE = re.compile(
    rf"\(?\s*(?P<low>{_NUMBER})\s*(?:[-\u2013\u2014]|to)?\s*(?P<high>{_NUMBER})?\s*"
    r"(?P<unit>months?|weeks?|days?|%)\s*\)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PhaseLevel:
    level: str
    label: str
    months: str | None
    notes: tuple[str, ...] = ()


def _level_in(text: str) -> str | None:
    lowered = text.lower()
    for pattern, level in _LEVEL_WORDS:
        if re.search(pattern, lowered):
            return str(level)
    return None


def _duration(subtitle: str) -> tuple[str | None, str, list[str]]:
    """(months "low-high" or None, the label without a whole-month range, notes)."""
    match = _RANGE.search(subtitle)
    if not match:
        return None, subtitle, []
    low, high, unit = match["low"], match["high"] or match["low"], match["unit"].lower()
    whole = low.isdigit() and high.isdigit() and unit.startswith("month")
    if whole and int(low) <= int(high) < 100:
        label = (subtitle[: match.start()] + subtitle[match.end() :]).strip(" -\u2013:,")
        return f"{int(low)}-{int(high)}", label, []
    return None, subtitle, [f"duration {match[0].strip()!r} kept in the label (not whole months)"]


def phase_level(subtitle: str, title: str, *, previous: str | None) -> PhaseLevel:
    """The level, label and months of a phase from its subtitle (and title), noting guesses."""
    months, label, notes = _duration(subtitle.strip())
    level = _level_in(subtitle)
    if level is not None:
        notes.append(f"level {level} from subtitle {subtitle!r}")
    elif (level := _level_in(title)) is not None:
        notes.append(f"level {level} guessed from title {title!r}")
    else:
        level = previous or str(Level.BEGINNER)
        source = "the phase before" if previous else "none found, the first level"
        notes.append(f"level {level} guessed ({source}); subtitle {subtitle!r} names none")
    return PhaseLevel(level=level, label=label, months=months, notes=tuple(notes))
