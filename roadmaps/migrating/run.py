"""Writing the site's roadmaps as content files and importing them the normal way."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from roadmaps.content import (
    ContentError,
    ImportReport,
    document_text,
    roadmap_import_files,
    roadmap_parse,
)
from roadmaps.migrating.courses import CourseData, courses_document, courses_read
from roadmaps.migrating.report import MigrationReport
from roadmaps.migrating.repository import roadmaps_from_repository

# In a directory of its own: `import_roadmaps DIR` reads every *.yaml directly in DIR as a roadmap.
COURSES_YAML = Path("courses/courses.yaml")


@dataclass
class SiteImport:
    reports: list[MigrationReport] = field(default_factory=list)
    courses: list[CourseData] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    applied: list[ImportReport] = field(default_factory=list)


def _write(texts: dict[str, str], courses: list[CourseData], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for slug, text in texts.items():
        path = out / f"{slug}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    courses_write(courses, out)
    return written


def courses_write(courses: list[CourseData], out: Path) -> Path:
    """Write the courses to `out`/courses/courses.yaml (docs/migrating.md); returns its path."""
    courses_text = yaml.safe_dump(
        courses_document(courses), sort_keys=False, allow_unicode=True, width=100
    )
    (out / COURSES_YAML).parent.mkdir(parents=True, exist_ok=True)
    (out / COURSES_YAML).write_text(courses_text, encoding="utf-8")
    return out / COURSES_YAML


def site_import(*, repository: Path, out: Path | None = None, apply: bool = False) -> SiteImport:
    """Read the checkout, write every roadmap's content file to `out` (a temporary directory
    when only applying) and, with `apply`, import them all-or-nothing. Raises ContentError,
    changing nothing, when a produced file does not pass the content checks."""
    roadmaps, general = roadmaps_from_repository(repository)
    if not roadmaps:
        raise ContentError([*general.refused, f"{repository}: no roadmaps found"])
    courses, course_report = courses_read(
        repository, roadmaps={roadmap.slug for roadmap in roadmaps}
    )
    result = SiteImport(reports=[general, *(r.report for r in roadmaps), course_report])
    result.courses = courses
    by_slug = {roadmap.slug: roadmap.report for roadmap in roadmaps}
    for course in courses:
        for slug in course.roadmaps:
            by_slug[slug].count("courses")
    texts, problems = {}, []
    for roadmap in roadmaps:
        text = document_text(roadmap.document)
        try:
            roadmap_parse(text, source=f"{roadmap.slug}.yaml")
        except ContentError as error:
            problems.extend(error.problems)
        texts[roadmap.slug] = text
    if problems:
        raise ContentError(problems)
    if out is not None:
        result.written = _write(texts, courses, out)
    if apply:
        with tempfile.TemporaryDirectory() as scratch:
            paths = result.written or _write(texts, courses, Path(scratch))
            result.applied = roadmap_import_files(paths)
    return result
