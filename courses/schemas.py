"""Output and query schemas of the course API (`courses/api.py`).

Output schemas list every field explicitly, so a new model field never leaks into v1. Query
parameters give one `example` (`json_schema_extra`), never pydantic's `examples=[...]`: ninja
copies a parameter's examples onto the OpenAPI Parameter Object, where a list is invalid.
"""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from common.api_pages import ListOut

CourseLevelName = Literal["beginner", "intermediate", "advanced"]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class CourseCategoryOut(Schema):
    """The catalog group a course is listed under."""

    slug: str = Field(description="Use it as the `category` filter.", examples=["web-development"])
    name: str = Field(examples=["Web Development"])


class CourseRoadmapOut(Schema):
    """A published roadmap the course serves."""

    slug: str = Field(examples=["flask"])
    title: str = Field(examples=["Flask Roadmap"])
    url: str = Field(
        description="The roadmap's page on the site.",
        examples=["https://roadmapfinder.example/roadmaps/flask/"],
    )
    api_url: str = Field(
        description="The roadmap's whole tree in the API.",
        examples=["https://roadmapfinder.example/api/v1/roadmaps/flask"],
    )


class CourseOut(Schema):
    """A video course in the catalog."""

    key: str = Field(
        description="Permanent identifier of the course.", examples=["flask-crash-course"]
    )
    title: str = Field(examples=["Flask Crash Course"])
    channel: str = Field(
        description="Channel, author or publisher; may be empty.", examples=["Pallets"]
    )
    url: str = Field(
        description="The course's full http(s) address.",
        examples=["https://www.youtube.com/playlist?list=PL0"],
    )
    language: str = Field(description="ISO 639-1 code of the course's language.", examples=["hi"])
    language_name: str = Field(examples=["Hindi"])
    level: CourseLevelName = Field(examples=["beginner"])
    category: CourseCategoryOut
    rating: float | None = Field(description="From 0 to 5; null when not rated.", examples=[4.7])
    badge: str = Field(
        description="A short label such as 'Bestseller'; may be empty.", examples=["Bestseller"]
    )
    is_free: bool = Field(examples=[True])
    featured: bool = Field(description="Featured courses are listed first.", examples=[False])
    roadmaps: list[CourseRoadmapOut] = Field(description="The published roadmaps it serves.")


class CourseListOut(ListOut):
    """One page of courses, the total count across all pages and links to the pages around it."""

    items: list[CourseOut]


class CourseListParams(Schema):
    """Query parameters of the course list; the site's /courses/ page filters the same way."""

    category: str | None = Field(
        None,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="Only courses of this category (its slug, see `category.slug`).",
        json_schema_extra={"example": "web-development"},
    )
    language: str | None = Field(
        None,
        min_length=2,
        max_length=2,
        pattern=r"^[a-z]{2}$",
        description="Only courses in this language (ISO 639-1 code: `en` English, `hi` Hindi).",
        json_schema_extra={"example": "hi"},
    )
    level: CourseLevelName | None = Field(
        None,
        description="Only courses at this level.",
        json_schema_extra={"example": "beginner"},
    )
    page: int = Field(
        1, ge=1, le=10_000, description="Page number, from 1.", json_schema_extra={"example": 1}
    )
    page_size: int = Field(
        20,
        ge=1,
        le=100,
        description="Courses per page (at most 100).",
        json_schema_extra={"example": 20},
    )
