"""Reading app/Courses/coursesData.json into a normalized course list.

This module only reads and checks: applying courses is the courses app's job. The boundary is
`courses_from_repository(path) -> list[CourseData]` (`courses_read` also returns the report);
`courses_document` is the same list in the intermediate form written to courses.yaml
(docs/migrating.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from roadmaps.choices import Level
from roadmaps.migrating.common import Tally, clean_text, fit, http_url
from roadmaps.migrating.items import key_base
from roadmaps.migrating.javascript import data_value, js_module
from roadmaps.migrating.report import MigrationReport

COURSES_FILE = Path("app/Courses/coursesData.json")
COURSE_FIELDS = ("id", "category", "title", "level", "videoId", "url", "language", "channel")
COURSE_REASONS = {
    "image": "thumbnails come from the video host",
    "rating": "ratings are not carried over",
    "badge": "badges are not carried over",
}
LANGUAGES = {"english": "en", "en": "en", "hindi": "hi", "hi": "hi"}
_LEVELS = {"all": "", "all levels": "", **{str(level): str(level) for level in Level.values}}


@dataclass
class CourseData:
    """One course as the courses app will receive it."""

    key: str  # from the site's id; permanent, like an item key
    title: str
    url: str  # the video or playlist address (http/https)
    category: str
    language: str  # "en", "hi", or "" when the site's value is not a language
    level: str  # one of the five levels, or "" for all levels / unknown
    channel: str = ""
    roadmaps: list[str] = field(default_factory=list)  # slugs of roadmaps it belongs to


def _categories(data: dict[str, Any]) -> dict[str, str]:
    """Category ids -> names, from a list of names or of {id, name} objects."""
    found: dict[str, str] = {}
    for entry in data.get("categories") or []:
        if isinstance(entry, dict):
            name = clean_text(entry.get("name") or entry.get("title") or entry.get("id"))
            ident = clean_text(entry.get("id")) or name
        else:
            name = ident = clean_text(entry)
        if ident:
            found[ident.lower()] = name
    return found


def _course(entry: dict, *, key: str, categories: dict, roadmaps: set, report) -> CourseData | None:
    where = f"{COURSES_FILE} course {key!r}"
    title, url = clean_text(entry.get("title")), http_url(entry.get("videoId") or entry.get("url"))
    if not title or url is None:
        what = "no title" if url else f"link {entry.get('videoId')!r} is not an http(s) address"
        report.refused.append(f"{where}: {what}, left out")
        return None
    raw_category = clean_text(entry.get("category"))
    category = categories.get(raw_category.lower(), raw_category)
    if raw_category and raw_category.lower() not in categories:
        report.notes.append(f"{where}: category {raw_category!r} is not in the category list")
    raw_language = clean_text(entry.get("language"))
    language = LANGUAGES.get(raw_language.lower(), "")
    if raw_language and not language:
        report.refused.append(f"{where}: language {raw_language!r} is not a language, left empty")
    raw_level = clean_text(entry.get("level")).lower()
    level = _LEVELS.get(raw_level, _LEVELS.get(raw_level.split()[0] if raw_level else "", ""))
    if raw_level and raw_level not in _LEVELS and not level:
        report.refused.append(f"{where}: level {raw_level!r} is not a level, left empty")
    linked = key_base(raw_category)
    return CourseData(
        key=key,
        title=fit(title, 200, where=where, report=report),
        url=url,
        category=fit(category, 80, where=f"{where} category", report=report),
        language=language,
        level=level,
        channel=fit(clean_text(entry.get("channel")), 120, where=where, report=report),
        roadmaps=[linked] if linked in roadmaps else [],
    )


def courses_from_repository(
    repository: Path, *, roadmaps: set[str] | frozenset[str] = frozenset()
) -> list[CourseData]:
    """The site's courses, normalized, for the courses app to apply."""
    return courses_read(repository, roadmaps=roadmaps)[0]


def courses_read(
    repository: Path, *, roadmaps: set[str] | frozenset[str] = frozenset()
) -> tuple[list[CourseData], MigrationReport]:
    """The site's courses, normalized; `roadmaps` are the roadmap slugs a course's category
    may link it to. Duplicate ids get a -2, -3... key, in file order."""
    report = MigrationReport(name="courses")
    path = repository / COURSES_FILE
    if not path.is_file():
        report.notes.append(f"{COURSES_FILE} not found: no courses")
        return [], report
    module = js_module(path)
    report.refused.extend(module.errors)
    data = data_value(module, wanted=("courses",))
    if not isinstance(data, dict):
        data = {"courses": data if isinstance(data, list) else []}
    categories, tally, used = _categories(data), Tally(), set()
    courses: list[CourseData] = []
    for index, entry in enumerate(data.get("courses") or []):
        if not isinstance(entry, dict):
            continue
        tally.drop(str(COURSES_FILE), entry, COURSE_FIELDS)
        base = key_base(clean_text(entry.get("id"))) or key_base(clean_text(entry.get("title")))
        key, number = base or f"course-{index}", 2
        while key in used:
            key, number = f"{base}-{number}", number + 1
        if key != base:
            report.renamed.append(f"{COURSES_FILE} course {index}: duplicate id, key {key!r}")
        used.add(key)
        course = _course(
            entry, key=key, categories=categories, roadmaps=set(roadmaps), report=report
        )
        if course is not None:
            courses.append(course)
            report.count("courses")
    tally.flush(report, COURSE_REASONS)
    return courses, report


def courses_document(courses: list[CourseData]) -> dict[str, Any]:
    """The intermediate form written to courses.yaml (see docs/migrating.md)."""
    return {"format": 1, "courses": [asdict(course) for course in courses]}
