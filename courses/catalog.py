"""The course catalog's filters and page, shared by the site and the API: which filter values
exist and one page of visible courses. Both call `catalog_page`, so the two never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from common.languages import LANGUAGE_NAMES
from courses.models import Course, CourseCategory, CourseQuerySet
from roadmaps.models import Roadmap


@dataclass(frozen=True)
class CourseFilters:
    """Filter values as given; empty means any."""

    category: str = ""
    language: str = ""
    level: str = ""

    @property
    def active(self) -> bool:
        return bool(self.category or self.language or self.level)


def catalog_categories() -> list[CourseCategory]:
    """Categories with at least one published course, in the editors' order."""
    return list(CourseCategory.objects.filter(courses__is_published=True).distinct())


def catalog_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages published courses are in, English and Hindi first."""
    codes = set(Course.objects.published().values_list("language", flat=True).distinct())
    order = list(LANGUAGE_NAMES)
    return [(code, LANGUAGE_NAMES[code]) for code in sorted(codes, key=order.index)]


def catalog_courses(*, user: object, filters: CourseFilters) -> CourseQuerySet:
    """The courses `user` may see that match `filters`, in catalog order, each with its
    published roadmaps (`published_roadmaps`, one more query for a whole page)."""
    return (
        Course.objects.visible_to(user)
        .catalog(category=filters.category, language=filters.language, level=filters.level)
        .with_roadmaps()
    )


def catalog_page(*, user: object, filters: CourseFilters, number: int | str, size: int) -> Page:
    """One page of `catalog_courses` (a page number out of range gives the last page).
    Queries: the count, the page, the roadmaps of the page."""
    return Paginator(catalog_courses(user=user, filters=filters), size).get_page(number)


def roadmap_courses(*, roadmap: Roadmap, user: object) -> list[Course]:
    """The courses `user` may see that serve `roadmap`, in catalog order: one query."""
    return list(Course.objects.visible_to(user).for_roadmap(roadmap).catalog())
