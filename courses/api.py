"""Public course endpoint: the catalog as JSON, with the same filters as the /courses/ page
(`courses.catalog.catalog_courses` is the one query both use)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router

from common.api_errors import ErrorOut, ValidationErrorOut
from common.api_pages import page_links
from common.api_render import json_response, render_json
from common.api_request import PUBLIC_SECURITY, api_user
from common.site import absolute_url
from courses.catalog import CourseFilters, catalog_courses
from courses.models import Course
from courses.schemas import CourseListOut, CourseListParams

router = Router(tags=["courses"])


def course_dict(course: Course) -> dict[str, Any]:
    """A course as the API shows it; `course` must come from `catalog_courses`."""
    return {
        "key": course.key,
        "title": course.title,
        "channel": course.channel,
        "url": course.url,
        "language": course.language,
        "language_name": course.language_name,
        "level": course.level,
        "category": {"slug": course.category.slug, "name": course.category.name},
        "rating": float(course.rating) if course.rating is not None else None,
        "badge": course.badge,
        "is_free": course.is_free,
        "featured": course.featured,
        "roadmaps": [
            {
                "slug": roadmap.slug,
                "title": roadmap.title,
                "url": absolute_url(roadmap.get_absolute_url()),
                "api_url": absolute_url(
                    reverse("api-v1:roadmap_detail", kwargs={"slug": roadmap.slug})
                ),
            }
            for roadmap in course.published_roadmaps  # type: ignore[attr-defined]
        ],
    }


@router.get(
    "/courses",
    url_name="course_list",
    summary="List the course catalog",
    response={200: CourseListOut, 304: None, 401: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    openapi_extra={"security": PUBLIC_SECURITY},
)
def course_list(request: HttpRequest, filters: Query[CourseListParams]) -> HttpResponse:
    """Published courses, one page at a time: `{"items": [...], "count": N, "next": ...,
    "previous": ...}` where `count` counts all pages and `next` / `previous` are absolute
    links (null at either end). Filter by `category` (slug), `language` (ISO code) and `level`;
    featured courses come first. Courses whose link the checker confirmed broken are left out
    (editors see them). Answers carry an `ETag`; send it back in `If-None-Match` to get
    `304 Not Modified`."""
    courses = catalog_courses(
        user=api_user(request),
        filters=CourseFilters(
            category=filters.category or "",
            language=filters.language or "",
            level=filters.level or "",
        ),
    )
    count = courses.count()
    start = (filters.page - 1) * filters.page_size
    page = list(courses[start : start + filters.page_size]) if start < count else []
    payload = CourseListOut.model_validate(
        {
            "items": [course_dict(course) for course in page],
            "count": count,
            **page_links(request, page=filters.page, page_size=filters.page_size, count=count),
        }
    )
    return json_response(request, render_json(payload.model_dump(mode="json")))
