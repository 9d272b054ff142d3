"""Writes to the course catalog from outside the admin: the import entry point.

`courses_import` is what an importer (e.g. `import_roadmapfinder`) calls with every course it
read; docs/courses.md documents `CourseData`. It is all-or-nothing: any bad value refuses the
whole list with one message per problem, and nothing is written. Like every course writer, it
makes the one `roadmap_pages_changed` call for the roadmaps whose courses changed (their pages show
courses) and the URLs it saved (the link checker checks them after the commit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from common.languages import LANGUAGE_NAMES
from courses.models import Course, CourseCategory, CourseLevel
from roadmaps.changes import roadmap_pages_changed
from roadmaps.models import Roadmap
from roadmaps.validators import validate_http_url, validate_topic_key

# The fields an import sets on a course, in the order the upsert writes them.
COURSE_FIELDS = [
    "title",
    "channel",
    "url",
    "language",
    "level",
    "category_id",
    "rating",
    "badge",
    "is_free",
    "featured",
    "position",
    "is_published",
]


@dataclass(frozen=True)
class CourseData:
    """One course as an importer hands it over (see docs/courses.md)."""

    key: str
    title: str
    url: str
    language: str
    level: str
    category: str
    channel: str = ""
    rating: float | Decimal | None = None
    badge: str = ""
    is_free: bool = True
    featured: bool = False
    position: int = 0
    is_published: bool = True
    roadmaps: tuple[str, ...] = ()


@dataclass
class CourseImportReport:
    """What an import did: keys of courses created and updated, how many were already as given,
    and the categories it created."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    categories_created: list[str] = field(default_factory=list)


class CourseImportError(Exception):
    """The import was refused; `problems` says why, one line per problem. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- Validation -------------------------------------------------------------------------------


def _course_problems(course: CourseData, roadmap_slugs: set[str]) -> list[str]:
    """What is wrong with one course, each problem as a phrase (the caller names the course)."""
    problems = []
    try:
        validate_topic_key(course.key)
    except ValidationError:
        problems.append(f"key {course.key!r} is not lowercase letters, digits and hyphens")
    if not course.title.strip():
        problems.append("title is empty")
    try:
        validate_http_url(course.url)
    except ValidationError:
        problems.append(f"url {course.url!r} is not a full http:// or https:// address")
    if course.language not in LANGUAGE_NAMES:
        known = ", ".join(sorted(LANGUAGE_NAMES))
        problems.append(f"language {course.language!r} is not a language code (one of {known})")
    if course.level not in CourseLevel.values:
        problems.append(f"level {course.level!r} is not one of {', '.join(CourseLevel.values)}")
    if not slugify(course.category):
        problems.append(f"category {course.category!r} has no letters or digits")
    if course.rating is not None and not (
        math.isfinite(float(course.rating)) and 0 <= float(course.rating) <= 5
    ):
        problems.append(f"rating {course.rating!r} is not between 0 and 5")
    lengths = {"title": 200, "channel": 120, "url": 500, "badge": 40, "category": 80}
    for name, limit in lengths.items():
        if len(getattr(course, name)) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    if not 0 <= course.position <= 32767:
        problems.append(f"position {course.position} is not between 0 and 32767")
    for slug in course.roadmaps:
        if slug not in roadmap_slugs:
            problems.append(f"roadmap {slug!r} does not exist")
    return problems


def courses_validate(courses: list[CourseData], roadmap_slugs: set[str]) -> list[str]:
    """Every problem of `courses`, one line each, naming the course by position and key."""
    problems = []
    seen: dict[str, int] = {}
    for index, course in enumerate(courses, start=1):
        where = f"course {index} ({course.key!r})"
        if course.key in seen:
            problems.append(f"{where}: key is used by course {seen[course.key]} too")
        seen.setdefault(course.key, index)
        problems.extend(
            f"{where}: {problem}" for problem in _course_problems(course, roadmap_slugs)
        )
    return problems


# --- Import -----------------------------------------------------------------------------------


def _categories_for(courses: list[CourseData], report: CourseImportReport) -> dict[str, int]:
    """category slug -> id, creating the categories no row has yet (named as the import
    spells them; editors can rename them in the admin)."""
    wanted = {slugify(course.category): course.category.strip() for course in courses}
    known = dict(
        CourseCategory.objects.filter(slug__in=wanted).values_list("slug", "pk")  # type: ignore[arg-type]
    )
    missing = [
        CourseCategory(slug=slug, name=wanted[slug]) for slug in sorted(wanted - known.keys())
    ]
    if missing:
        CourseCategory.objects.bulk_create(missing, ignore_conflicts=True)
        known = dict(CourseCategory.objects.filter(slug__in=wanted).values_list("slug", "pk"))  # type: ignore[arg-type]
        report.categories_created = [category.name for category in missing]
    return known


def _course_row(course: CourseData, category_id: int) -> Course:
    rating = None if course.rating is None else Decimal(str(course.rating)).quantize(Decimal("0.1"))
    return Course(
        key=course.key,
        title=course.title.strip(),
        channel=course.channel.strip(),
        url=course.url,
        language=course.language,
        level=course.level,
        category_id=category_id,
        rating=rating,
        badge=course.badge.strip(),
        is_free=course.is_free,
        featured=course.featured,
        position=course.position,
        is_published=course.is_published,
    )


def courses_import(*, courses: list[CourseData]) -> CourseImportReport:
    """Create or update `courses` by key, with their categories and roadmap links; all or
    nothing. Courses not in the list are left alone. Raises CourseImportError listing every
    problem (bad key, URL, language, level, rating, unknown roadmap, duplicate key) before
    anything is written. Running it again with the same list changes nothing."""
    slugs = {slug for course in courses for slug in course.roadmaps}
    roadmap_ids = dict(Roadmap.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    problems = courses_validate(courses, set(roadmap_ids))
    if problems:
        raise CourseImportError(problems)
    report = CourseImportReport()
    with transaction.atomic():
        categories = _categories_for(courses, report)
        rows = [_course_row(course, categories[slugify(course.category)]) for course in courses]
        existing = {
            course.key: course for course in Course.objects.filter(key__in=[r.key for r in rows])
        }
        changed = []
        for row in rows:
            before = existing.get(row.key)
            if before is None:
                report.created.append(row.key)
            elif any(getattr(before, name) != getattr(row, name) for name in COURSE_FIELDS):
                report.updated.append(row.key)
            else:
                continue
            changed.append(row)
        # One INSERT ... ON CONFLICT (key) DO UPDATE for every new or changed course.
        Course.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[*COURSE_FIELDS, "updated_at"],
        )
        links = _roadmap_links(courses, roadmap_ids, report)
        touched = {pk for key in [*report.created, *report.updated] for pk in links.get(key, ())}
        roadmap_pages_changed(
            roadmaps=touched | links.get("", set()),
            urls=[row.url for row in changed],
        )
    report.unchanged = len(rows) - len(report.created) - len(report.updated)
    return report


def _roadmap_links(
    courses: list[CourseData], roadmap_ids: dict[str, int], report: CourseImportReport
) -> dict[str, set[int]]:
    """Make each course's roadmap links exactly the given ones. Returns course key -> its
    roadmap ids, and under "" the roadmaps whose links changed. A course whose only change is
    its links counts as updated."""
    ids = dict(Course.objects.filter(key__in=[c.key for c in courses]).values_list("key", "pk"))
    wanted = {
        (ids[course.key], roadmap_ids[slug]) for course in courses for slug in course.roadmaps
    }
    through = Course.roadmaps.through
    current = set(
        through.objects.filter(course_id__in=ids.values()).values_list("course_id", "roadmap_id")
    )
    removed, added = current - wanted, wanted - current
    if removed:
        pairs = Q()
        for course_id, roadmap_id in sorted(removed):
            pairs |= Q(course_id=course_id, roadmap_id=roadmap_id)
        through.objects.filter(pairs).delete()
    through.objects.bulk_create(
        [through(course_id=c, roadmap_id=r) for c, r in sorted(added)], ignore_conflicts=True
    )
    keys = {pk: key for key, pk in ids.items()}
    relinked = {keys[course_id] for course_id, _ in removed | added}
    for key in sorted(relinked - set(report.created) - set(report.updated)):
        report.updated.append(key)
    links: dict[str, set[int]] = {"": {roadmap_id for _, roadmap_id in removed | added}}
    for course_id, roadmap_id in wanted:
        links.setdefault(keys[course_id], set()).add(roadmap_id)
    return links
