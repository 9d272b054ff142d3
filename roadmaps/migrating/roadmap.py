"""Mapping one roadmap's phases (roadmapData.js/.json) to the content file's phases, sections
and items."""

from __future__ import annotations

import re
from typing import Any

from roadmaps.migrating.common import Tally, clean_text, fit
from roadmaps.migrating.items import KeyMaker, item_text
from roadmaps.migrating.phases import phase_level
from roadmaps.migrating.report import MigrationReport

PHASE_FIELDS = ("title", "subtitle", "description", "sections", "color")
# The site writes a phase colour as CSS classes ("from-green-500 to-emerald-600"): its first
# colour word, mapped to the nearest of the palette (roadmaps.models.Accent).
ACCENTS = {
    "slate": "slate", "gray": "slate", "zinc": "slate", "neutral": "slate", "stone": "slate",
    "green": "green", "emerald": "green", "lime": "green", "teal": "green",
    "blue": "blue", "sky": "blue", "indigo": "blue", "cyan": "blue",
    "orange": "orange", "amber": "orange", "yellow": "orange", "red": "orange",
    "pink": "pink", "rose": "pink", "fuchsia": "pink", "purple": "pink", "violet": "pink",
}  # fmt: skip
_COLOUR_WORD = re.compile(r"[a-z]+")
SECTION_NOTES = {"goal": "goal", "practice": "practice", "outcome": "outcome"}
SECTION_NOTES |= {"proTip": "tip", "tip": "tip"}
SECTION_FIELDS = ("title", "items", *SECTION_NOTES)
# Why a field is left out, for the report (what the content format cannot hold yet).
REASONS = {
    "id": "the place in the list numbers phases",
    "emoji": "no phase icon in the content format",
    "icon": "no phase icon in the content format",
}
_PHASE_PREFIX = re.compile(r"^\s*phase\s+\d+\s*[:\-\u2013\u2014.]\s*(?=\S)", re.IGNORECASE)


class RoadmapBuilder:
    """Builds one roadmap's content document, noting in `report` everything it decided."""

    def __init__(self, report: MigrationReport):
        self.report = report
        self.tally = Tally()
        self.keys = KeyMaker()

    def phases(self, data: Any, *, source: str) -> list[dict[str, Any]]:
        if isinstance(data, dict):
            data = data.get("phases", data.get("roadmapData"))
        if not isinstance(data, list):
            self.report.refused.append(f"{source}: no list of phases found")
            return []
        phases: list[dict[str, Any]] = []
        for index, entry in enumerate(data):
            where = f"{source} phase {index}"
            if not isinstance(entry, dict):
                self.report.refused.append(f"{where}: not an object, left out")
                continue
            phases.append(self.phase(entry, where=where))
        self.tally.flush(self.report, REASONS)
        self.report.renamed.extend(self.keys.renamed)
        self.keys.renamed.clear()
        return phases

    def phase(self, entry: dict[str, Any], *, where: str) -> dict[str, Any]:
        self.tally.drop(where.rsplit(" phase", 1)[0], entry, PHASE_FIELDS)
        title = _PHASE_PREFIX.sub("", clean_text(entry.get("title"))) or f"Phase {where}"
        subtitle = clean_text(entry.get("subtitle"))
        level = phase_level(subtitle, title)
        self.report.levels.extend(f"{where}: {note}" for note in level.notes)
        phase: dict[str, Any] = {"title": fit(title, 200, where=where, report=self.report)}
        if level.level:
            phase["level"] = level.level
        if level.label:
            phase["label"] = fit(level.label, 80, where=f"{where} label", report=self.report)
        if level.duration:
            label = level.duration["label"]
            level.duration["label"] = fit(label, 80, where=f"{where} time", report=self.report)
            phase["duration"] = level.duration
        summary = clean_text(entry.get("description"))
        if summary:
            phase["summary"] = fit(summary, 300, where=f"{where} description", report=self.report)
        accent = self.accent(entry.get("color"), where=where)
        if accent:
            phase["accent"] = accent
        sections = entry.get("sections")
        phase["sections"] = [
            self.section(section, where=f"{where} section {number}")
            for number, section in enumerate(sections if isinstance(sections, list) else [])
            if isinstance(section, dict)
        ]
        self.report.count("phases")
        return phase

    def accent(self, color: Any, *, where: str) -> str:
        words = _COLOUR_WORD.findall(clean_text(color).lower())
        accent = next((ACCENTS[word] for word in words if word in ACCENTS), "")
        if color and not accent:
            self.report.dropped.append(f"{where}: colour {color!r} matches no accent colour")
        return accent

    def section(self, entry: dict[str, Any], *, where: str) -> dict[str, Any]:
        self.tally.drop(where.split(" phase")[0], entry, SECTION_FIELDS)
        title = clean_text(entry.get("title")) or "Topics"
        items = entry.get("items")
        topics = []
        for number, line in enumerate(items if isinstance(items, list) else []):
            topic = self.item(line, section=title, where=f"{where} item {number}")
            if topic is not None:
                topics.append(topic)
        self.report.count("sections")
        section = {"title": fit(title, 200, where=where, report=self.report)}
        for name, field_name in SECTION_NOTES.items():
            note = clean_text(entry.get(name))
            if note and field_name not in section:
                section[field_name] = fit(note, 500, where=f"{where} {name}", report=self.report)
        return {**section, "topics": topics}

    def item(self, line: Any, *, section: str, where: str) -> dict[str, Any] | None:
        if isinstance(line, dict):  # {title, description} instead of a line of text
            line = " → ".join(
                part
                for part in (
                    clean_text(line.get("title") or line.get("name")),
                    clean_text(line.get("description")),
                )
                if part
            )
        text = item_text(clean_text(line))
        if not text.title:
            self.report.refused.append(f"{where}: {line!r} has no title, left out")
            return None
        return self.topic(text.title, text.summary, text.kind, section=section, where=where)

    def topic(
        self, title: str, summary: str, kind: str, *, section: str, where: str
    ) -> dict[str, Any]:
        topic: dict[str, Any] = {"key": self.keys.key(title, context=section)}
        topic["title"] = fit(title, 200, where=where, report=self.report)
        if summary:
            topic["summary"] = fit(summary, 300, where=f"{where} summary", report=self.report)
        if kind != "topic":
            topic["kind"] = kind
        self.report.count("items")
        return topic
