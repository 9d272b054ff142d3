"""Applying the course list `import_roadmapfinder` writes (courses/courses.yaml) to the catalog.

The old site's courses come with the roadmaps' five levels (or none), the catalog has three
(`CourseLevel`). The rule, stated once and reported per course it changes:
- prerequisite -> beginner (a course for people starting out);
- expert -> advanced (the catalog's highest);
- no level ('' = "all levels" or unknown) -> beginner (open to anyone starting).
A course whose language is not a language (e.g. 'aiagents') gets English, the field's default;
one without a category goes under "Other". Everything else goes through `courses_import`:
all-or-nothing, found again by key, so running it twice changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from courses.models import CourseLevel
from courses.services import CourseData, CourseImportError, CourseImportReport, courses_import

LEVELS = {
    "": CourseLevel.BEGINNER,
    "prerequisite": CourseLevel.BEGINNER,
    "beginner": CourseLevel.BEGINNER,
    "intermediate": CourseLevel.INTERMEDIATE,
    "advanced": CourseLevel.ADVANCED,
    "expert": CourseLevel.ADVANCED,
}
DEFAULT_LANGUAGE = "en"
DEFAULT_CATEGORY = "Other"
_FIELDS = ("key", "title", "url", "category", "language", "level", "channel", "roadmaps")


def _text(entry: dict[str, Any], name: str) -> str:
    value = entry.get(name)
    return "" if value is None else str(value).strip()


def _course(entry: Any, index: int, problems: list[str], notes: list[str]) -> CourseData | None:
    where = f"course {index}"
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected a mapping of {', '.join(_FIELDS)}")
        return None
    where = f"course {index} ({_text(entry, 'key')!r})"
    unknown = sorted(set(entry) - set(_FIELDS), key=str)
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(map(str, unknown))}")
    level = _text(entry, "level")
    if level not in LEVELS:
        problems.append(f"{where}: level {level!r} is not one of {', '.join(filter(None, LEVELS))}")
        return None
    if LEVELS[level] != level:
        notes.append(f"{where}: level {level or 'none'!r} -> {LEVELS[level]}")
    language = _text(entry, "language")
    if not language:
        notes.append(f"{where}: no language -> {DEFAULT_LANGUAGE}")
    category = _text(entry, "category")
    if not category:
        notes.append(f"{where}: no category -> {DEFAULT_CATEGORY}")
    roadmaps = entry.get("roadmaps") or []
    if not isinstance(roadmaps, list):
        problems.append(f"{where}: roadmaps must be a list of roadmap slugs")
        roadmaps = []
    return CourseData(
        key=_text(entry, "key"),
        title=_text(entry, "title"),
        url=_text(entry, "url"),
        language=language or DEFAULT_LANGUAGE,
        level=str(LEVELS[level]),
        category=category or DEFAULT_CATEGORY,
        channel=_text(entry, "channel"),
        position=index - 1,
        roadmaps=tuple(str(slug) for slug in roadmaps),
    )


def courses_from_document(document: Any) -> tuple[list[CourseData], list[str]]:
    """The courses of a courses.yaml document and the notes on what the rule above changed;
    raises CourseImportError listing every problem of its shape."""
    if not isinstance(document, dict) or not isinstance(document.get("courses"), list):
        raise CourseImportError(["expected a mapping with `format: 1` and a list `courses`"])
    if document.get("format", 1) != 1:
        raise CourseImportError([f"unsupported format {document.get('format')!r}; this reads 1"])
    problems: list[str] = []
    notes: list[str] = []
    courses = [
        course
        for index, entry in enumerate(document["courses"], start=1)
        if (course := _course(entry, index, problems, notes)) is not None
    ]
    if problems:
        raise CourseImportError(problems)
    return courses, notes


def courses_import_file(path: Path) -> tuple[CourseImportReport, list[str]]:
    """Import a courses.yaml file, all-or-nothing; returns the report and the mapping notes.
    Raises CourseImportError (nothing written) for an unreadable file or any bad value."""
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CourseImportError([f"{path}: cannot be read: {error}"]) from None
    courses, notes = courses_from_document(document)
    try:
        return courses_import(courses=courses), notes
    except CourseImportError as error:
        raise CourseImportError([f"{path}: {problem}" for problem in error.problems]) from None
