"""Output and query schemas of the roadmaps API (`roadmaps/api.py`).

Every output schema lists its fields explicitly (no `fields = "__all__"`), so adding a model field
never leaks into the public API by accident; v1 clients rely on exactly these names.

Query and path parameters give one `example` (`json_schema_extra={"example": ...}`, or
`Path(example=...)`), never pydantic's `examples=[...]`: ninja copies a parameter's examples onto
the OpenAPI Parameter Object, where `examples` must be a map of Example Objects, so a list there
makes the document invalid and client generators refuse it (django-ninja issue #1636). Output
schemas keep `examples=[...]`, which is valid JSON Schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from common.api_pages import ListOut
from roadmaps.querysets import CATALOG_PAGE_SIZE

# Slugs as Django's SlugField accepts them. Free text refuses NUL, which PostgreSQL cannot store
# or compare (it would be a 500, not a clean 422).
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
TEXT_PATTERN = r"^[^\x00]*$"

LevelName = Literal["prerequisite", "beginner", "intermediate", "advanced", "expert"]
DurationUnitName = Literal["months", "weeks", "days"]
LinkStatusName = Literal["ok", "broken", "unknown"]
ResourceKindName = Literal[
    "official_docs", "video_course", "article", "project_walkthrough", "book", "tool"
]
TopicKindName = Literal["topic", "project", "goal"]
RoadmapOrdering = Literal[
    "title", "-title", "updated_at", "-updated_at", "published_at", "-published_at"
]


class ResourceOut(Schema):
    """A curated link attached to a roadmap, a phase or one item."""

    kind: ResourceKindName = Field(
        description="What sort of resource this is.", examples=["official_docs"]
    )
    title: str = Field(description="The link text.", examples=["Flask documentation"])
    url: str = Field(
        description="A full http(s) address.", examples=["https://flask.palletsprojects.com/"]
    )
    language: str = Field(
        description="Two-letter ISO 639-1 code of the resource's language.", examples=["en"]
    )
    is_free: bool = Field(description="False for paid courses and books.", examples=[True])
    author: str = Field(
        description="Author, publisher or channel; may be empty.", examples=["Pallets"]
    )
    description: str = Field(
        description="What the learner finds there; may be empty.",
        examples=["The official tutorial and API reference"],
    )
    link_status: LinkStatusName = Field(
        description="Result of the last automatic link check: `ok`, `broken` (only editors "
        "ever see broken links) or `unknown` (not checked yet).",
        examples=["ok"],
    )


class TopicOut(Schema):
    """One item of a roadmap; `key` is permanent and is what progress is stored against."""

    key: str = Field(
        description="Permanent identifier of the item within its roadmap.",
        examples=["client-server-model"],
    )
    title: str = Field(examples=["Client-Server model"])
    summary: str = Field(
        description="One line after the arrow; may be empty.",
        examples=["Understanding request-response cycle"],
    )
    kind: TopicKindName = Field(
        description="`topic` to learn, `project` to build, `goal` to reach.", examples=["topic"]
    )
    url: str = Field(
        description="The item's own page on the site.",
        examples=["https://example.org/roadmaps/flask/items/client-server-model/"],
    )
    body: str = Field(
        description="What a learner reads about the item, in Markdown as editors wrote it "
        "(a project's brief); may be empty.",
        examples=["Every web app answers **requests**. Read [MDN on HTTP](https://...)."],
    )
    body_html: str = Field(
        description="`body` rendered and sanitized: only p, ul, ol, li, code, pre, strong, em, "
        'h3, h4, blockquote, hr, br and http(s)/mailto links with rel="noopener nofollow". '
        "Safe to insert as HTML; empty when there is no body.",
        examples=["<p>Every web app answers <strong>requests</strong>.</p>"],
    )
    resources: list[ResourceOut] = Field(description="Links for this item, in order.")


class SectionNotesOut(Schema):
    """Notes on a section; each is empty when the section has none."""

    goal: str = Field(examples=["Read and write HTTP by hand"])
    practice: str = Field(examples=["Call three public APIs with curl"])
    outcome: str = Field(examples=["You can debug a request from its headers"])
    tip: str = Field(examples=["Keep the browser's network tab open"])


class SectionOut(Schema):
    """A titled group of items inside a phase."""

    position: int = Field(description="Order inside the phase, from 0.", examples=[0])
    title: str = Field(examples=["HTTP & Web Basics"])
    notes: SectionNotesOut = Field(description="Notes shown with the group; not trackable items.")
    topics: list[TopicOut] = Field(description="The items of this group, in order.")


class PhaseOut(Schema):
    """A phase of the roadmap, from prerequisites to career readiness."""

    position: int = Field(description="The phase number shown to learners.", examples=[1])
    title: str = Field(examples=["Web Fundamentals"])
    level: LevelName | None = Field(
        description="Null for a phase without a level (e.g. 'Reality Check').",
        examples=["beginner"],
    )
    level_label: str = Field(
        description="The label shown under the title; empty for a phase without a level or label.",
        examples=["Beginner Level"],
    )
    min_months: int | None = Field(
        description="Start of the time range in whole months (weeks and days converted, "
        "rounded down); null when the phase has none. See duration_* for the exact range.",
        examples=[0],
    )
    max_months: int | None = Field(
        description="End of the time range in whole months (weeks and days converted, "
        "rounded up); null when the phase has none.",
        examples=[1],
    )
    duration_min: float | None = Field(
        description="Start of the time range in its unit; null when the phase has none.",
        examples=[1],
    )
    duration_max: float | None = Field(
        description="End of the time range in its unit; null when the phase has none.",
        examples=[1.5],
    )
    duration_unit: DurationUnitName | None = Field(
        description="Unit of the range; null when the phase has none.", examples=["months"]
    )
    duration_label: str = Field(
        description="The time as the editors wrote it ('1\u20131.5 Months', '20% of your "
        "time'); empty when they wrote only the range.",
        examples=["1\u20131.5 Months"],
    )
    timeline: str = Field(
        description="What the page shows: the label as written, else the range "
        "('Months 1\u20132', 'Weeks 1\u20132', '10 Days'), else empty.",
        examples=["Months 1\u20132"],
    )
    summary: str = Field(examples=["Understand how the web works"])
    accent: str = Field(
        description="Optional accent colour: slate, green, blue, orange, pink, or empty for the "
        "level's colour.",
        examples=["green"],
    )
    resources: list[ResourceOut] = Field(description="Links for the whole phase.")
    sections: list[SectionOut] = Field(description="The phase's groups of items, in order.")


class FAQOut(Schema):
    """A question learners ask about the roadmap, with its answer."""

    question: str = Field(examples=["How long does the roadmap take?"])
    answer: str = Field(examples=["About a year at ten hours a week."])
    category: str = Field(description="Optional group; may be empty.", examples=["Careers"])


class RoadmapCountsOut(Schema):
    """How big a roadmap is. `items` = topics + projects + goals."""

    phases: int = Field(examples=[17])
    sections: int = Field(examples=[49])
    items: int = Field(description="All trackable items.", examples=[173])
    topics: int = Field(description="Items of kind `topic`.", examples=[140])
    projects: int = Field(description="Items of kind `project`.", examples=[20])
    goals: int = Field(description="Items of kind `goal`.", examples=[13])
    resources: int = Field(description="Links anywhere in the roadmap.", examples=[120])


class LevelRangeOut(Schema):
    """The easiest and hardest level of a roadmap's phases (null when it has no phases)."""

    min: LevelName | None = Field(examples=["prerequisite"])
    max: LevelName | None = Field(examples=["expert"])


class TagOut(Schema):
    """A roadmap's tag."""

    slug: str = Field(description="Filter the list with `?tag=<slug>`.", examples=["python"])
    name: str = Field(examples=["Python"])


class RoadmapSummaryOut(Schema):
    """A roadmap as the catalog lists it."""

    slug: str = Field(description="Identifier used in every roadmap URL.", examples=["flask"])
    title: str = Field(examples=["Flask Roadmap"])
    edition: str = Field(description="May be empty.", examples=["2026"])
    display_title: str = Field(examples=["Flask Roadmap (2026 Edition)"])
    summary: str = Field(examples=["From Python foundations to an industry-ready Flask backend."])
    category: str = Field(examples=["Backend"])
    featured: bool = Field(description="Marked 'Featured' in the catalog.", examples=[False])
    trending: bool = Field(description="Marked 'Trending' in the catalog.", examples=[True])
    tags: list[TagOut] = Field(description="The roadmap's tags, by name.")
    phase_count: int = Field(examples=[17])
    topic_count: int = Field(description="All trackable items.", examples=[173])
    level_range: LevelRangeOut
    duration_months: int | None = Field(
        description="Suggested total duration: the end of the last phase's month range; null "
        "when no phase has a range.",
        examples=[12],
    )
    updated_at: datetime = Field(
        description="When the content last changed.", examples=["2026-01-15T10:00:00Z"]
    )
    url: str = Field(
        description="The roadmap's page on the site.",
        examples=["https://roadmapfinder.example/roadmaps/flask/"],
    )
    api_url: str = Field(
        description="This roadmap's full tree in the API (absolute URL).",
        examples=["https://roadmapfinder.example/api/v1/roadmaps/flask"],
    )


class RoadmapListOut(ListOut):
    """One page of roadmaps, the total count across all pages and links to the pages around."""

    count: int = Field(description="Roadmaps matching the filters, all pages.", examples=[1])
    items: list[RoadmapSummaryOut]


class RoadmapDetailOut(Schema):
    """A whole roadmap: phases > sections > items, resources everywhere, and FAQs."""

    slug: str = Field(examples=["flask"])
    title: str = Field(examples=["Flask Roadmap"])
    edition: str = Field(examples=["2026"])
    display_title: str = Field(examples=["Flask Roadmap (2026 Edition)"])
    summary: str = Field(examples=["From Python foundations to an industry-ready Flask backend."])
    description: str = Field(description="A longer introduction; may be empty.")
    category: str = Field(examples=["Backend"])
    featured: bool = Field(description="Marked 'Featured' in the catalog.", examples=[False])
    trending: bool = Field(description="Marked 'Trending' in the catalog.", examples=[True])
    tags: list[TagOut] = Field(description="The roadmap's tags, by name.")
    status: Literal["draft", "published", "archived"] = Field(
        description="Always `published` for non-editors.", examples=["published"]
    )
    completion_message: str = Field(
        description="Shown when a learner completes the roadmap; first line is the headline.",
        examples=["Congratulations! You're Flask Developer and Industry Ready!"],
    )
    published_at: datetime | None = Field(examples=["2026-01-01T09:00:00Z"])
    updated_at: datetime = Field(examples=["2026-01-15T10:00:00Z"])
    url: str = Field(examples=["https://roadmapfinder.example/roadmaps/flask/"])
    level_range: LevelRangeOut
    duration_months: int | None = Field(examples=[12])
    counts: RoadmapCountsOut
    resources: list[ResourceOut] = Field(description="Links for the whole roadmap.")
    phases: list[PhaseOut] = Field(description="The phases in order (Phase 0 first).")
    faqs: list[FAQOut] = Field(description="Questions and answers, in order.")


class RoadmapFilters(Schema):
    """Query parameters of the roadmap list."""

    category: str | None = Field(
        None,
        max_length=80,
        pattern=TEXT_PATTERN,
        description="Only roadmaps of this category (case-insensitive exact match).",
        json_schema_extra={"example": "Backend"},
    )
    level: LevelName | None = Field(
        None, description="Only roadmaps with at least one phase at this level."
    )
    tag: str | None = Field(
        None,
        max_length=50,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="Only roadmaps with this tag (its slug, as in `tags[].slug`).",
        json_schema_extra={"example": "python"},
    )
    q: str | None = Field(
        None,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="Words that must all appear in the title, summary, category or description.",
        json_schema_extra={"example": "flask"},
    )
    ordering: RoadmapOrdering = Field(
        "title", description="Sort order; prefix with `-` for descending."
    )
    page: int = Field(
        1, ge=1, le=10_000, description="Page number, from 1.", json_schema_extra={"example": 1}
    )
    page_size: int = Field(
        CATALOG_PAGE_SIZE,
        ge=1,
        le=100,
        description="Roadmaps per page (at most 100); by default as many as a page of the site's "
        "catalog, so page N lists the same roadmaps in both.",
        json_schema_extra={"example": 20},
    )


class SearchRoadmapOut(Schema):
    """The roadmap a group of search hits belongs to."""

    slug: str = Field(examples=["flask"])
    title: str = Field(examples=["Flask Roadmap"])
    edition: str = Field(examples=["2026"])
    display_title: str = Field(examples=["Flask Roadmap (2026 Edition)"])
    summary: str = Field(examples=["From Python foundations to an industry-ready Flask backend."])
    category: str = Field(examples=["Backend"])
    url: str = Field(examples=["https://roadmapfinder.example/roadmaps/flask/"])
    api_url: str = Field(examples=["https://roadmapfinder.example/api/v1/roadmaps/flask"])


class SearchHitOut(Schema):
    """One match inside a roadmap."""

    kind: Literal["roadmap", "phase", "section", "topic", "project", "goal", "resource"] = Field(
        description="What matched.", examples=["topic"]
    )
    title: str = Field(examples=["JWT authentication"])
    snippet: str = Field(description="Plain text about the match.", examples=["Tokens for APIs"])
    url: str = Field(
        description="Where the match is on the site (absolute URL).",
        examples=["https://roadmapfinder.example/roadmaps/flask/#topic-jwt-authentication"],
    )
    context: str = Field(
        description="Where in the roadmap it is.",
        examples=["Phase 4: Authentication & Authorization"],
    )


class SearchGroupOut(Schema):
    """The hits inside one roadmap."""

    roadmap: SearchRoadmapOut
    hits: list[SearchHitOut] = Field(description="Matches in this roadmap, best first.")


class SearchOut(ListOut):
    """One page of search results grouped by roadmap, best roadmap first. A roadmap's hits
    may go on over the next page."""

    query: str = Field(description="The query as received.", examples=["jwt"])
    count: int = Field(description="Hits on all pages.", examples=[3])
    close_matches: bool = Field(
        description="Nothing matched the words as typed; these are the closest titles "
        "(typo tolerance: `celry` finds Celery).",
        examples=[False],
    )
    groups: list[SearchGroupOut]


class SuggestionOut(Schema):
    """A place to jump to while typing."""

    title: str = Field(examples=["JWT authentication"])
    kind: Literal["roadmap", "phase", "section", "topic", "project", "goal", "resource"] = Field(
        examples=["topic"]
    )
    context: str = Field(
        description="The roadmap, and where in it.",
        examples=["Flask Roadmap · Phase 4: Authentication & Authorization · Authentication"],
    )
    url: str = Field(
        description="The place on the site (a path on this site).",
        examples=["/roadmaps/flask/#topic-jwt-authentication"],
    )


class SuggestOut(Schema):
    """A few suggestions for the words typed so far, best first (published roadmaps only)."""

    query: str = Field(examples=["jw"])
    suggestions: list[SuggestionOut]


class SuggestParams(Schema):
    """Query parameters of the suggestions."""

    q: str = Field(
        ...,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="The words typed so far; the last one may be unfinished.",
        json_schema_extra={"example": "jw"},
    )


class SearchParams(Schema):
    """Query parameters of the search."""

    q: str = Field(
        ...,
        min_length=1,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="Words to look for in roadmaps, phases, sections, items and resources.",
        json_schema_extra={"example": "jwt"},
    )
    page: int = Field(
        1, ge=1, le=1000, description="Page number, from 1.", json_schema_extra={"example": 1}
    )
    page_size: int = Field(
        20,
        ge=1,
        le=50,
        description="Hits per page (at most 50).",
        json_schema_extra={"example": 20},
    )
