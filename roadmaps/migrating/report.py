"""What an import from the old site did, per roadmap: counts, guesses and what it left out."""

from __future__ import annotations

from dataclasses import dataclass, field

COUNTED = ("phases", "sections", "items", "resources", "faqs", "courses")


@dataclass
class MigrationReport:
    """One roadmap's (or the course list's) report. Every note names its file and place."""

    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    levels: list[str] = field(default_factory=list)  # levels guessed, and from what
    dropped: list[str] = field(default_factory=list)  # fields and values left out
    renamed: list[str] = field(default_factory=list)  # duplicates given another key
    refused: list[str] = field(default_factory=list)  # bad values not imported
    notes: list[str] = field(default_factory=list)  # anything else worth a look

    def count(self, what: str, number: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + number

    def lines(self) -> list[str]:
        figures = ", ".join(f"{self.counts[what]} {what}" for what in COUNTED)
        out = [f"{self.name}: {figures}"]
        for title, notes in (
            ("levels", self.levels),
            ("dropped", self.dropped),
            ("renamed", self.renamed),
            ("refused", self.refused),
            ("notes", self.notes),
        ):
            out.extend(f"  {title}: {note}" for note in notes)
        return out
