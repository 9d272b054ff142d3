"""Input and output schemas of the learner's progress endpoints (`progress/api.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from common.api_pages import ListOut

StatusName = Literal["done", "in_progress", "skipped", "none"]
StoredStatusName = Literal["done", "in_progress", "skipped"]
TopicKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]
MAX_BULK_ITEMS = 5000


class CountsOut(Schema):
    """Progress over a set of items. Skipped items leave the denominator of `percent`."""

    total: int = Field(description="Items in the set.", examples=[173])
    done: int = Field(examples=[40])
    in_progress: int = Field(examples=[3])
    skipped: int = Field(examples=[5])
    percent: int = Field(
        description="done / (total - skipped) as a whole percent, rounded half up; 100 only "
        "when everything not skipped is done, at least 1 once anything is.",
        examples=[23],
    )


class RoadmapRefOut(Schema):
    """The roadmap a summary is about."""

    slug: str = Field(examples=["flask"])
    title: str = Field(examples=["Flask Roadmap"])
    display_title: str = Field(examples=["Flask Roadmap (2026 Edition)"])
    url: str = Field(examples=["https://roadmapfinder.example/roadmaps/flask/"])
    api_url: str = Field(examples=["https://roadmapfinder.example/api/v1/roadmaps/flask"])


class ItemRefOut(Schema):
    """An item a summary points at."""

    key: str = Field(examples=["jwt-authentication"])
    title: str = Field(examples=["JWT authentication"])
    kind: Literal["topic", "project", "goal"] = Field(examples=["topic"])
    status: StoredStatusName | None = Field(
        description="The learner's status; null when not started.", examples=["in_progress"]
    )


class PhaseProgressOut(Schema):
    """Progress on the items of one phase."""

    position: int = Field(examples=[4])
    title: str = Field(examples=["Authentication & Authorization"])
    items: CountsOut


class ProgressSummaryOut(Schema):
    """One learner's progress on one roadmap."""

    roadmap: RoadmapRefOut
    items: CountsOut = Field(description="All items (topics, projects and goals).")
    projects: CountsOut = Field(description="Projects only.")
    goals: CountsOut = Field(description="Goals only.")
    is_complete: bool = Field(
        description="Every item done or skipped (and at least one done).", examples=[False]
    )
    months_left: int | None = Field(
        description="Months left at the roadmap's suggested pace; null without month ranges.",
        examples=[8],
    )
    next_up: ItemRefOut | None = Field(description="Where to continue; null when finished.")
    last_activity: datetime | None = Field(
        description="The learner's latest change on this roadmap.",
        examples=["2026-02-01T18:30:00Z"],
    )
    phases: list[PhaseProgressOut] = Field(description="Per-phase figures, in phase order.")


class RoadmapProgressOut(ProgressSummaryOut):
    """A summary plus the status of every item the learner has touched."""

    topics: dict[str, StoredStatusName] = Field(
        description="Topic key -> status, for items of the current edition the learner has "
        "started; items not started are absent.",
        examples=[{"client-server-model": "done", "jwt-authentication": "in_progress"}],
    )
    retired: list[ItemRefOut] = Field(
        description="Items removed from the roadmap on which the learner has progress (kept, "
        "read-only)."
    )


class ProgressListOut(ListOut):
    """Every roadmap the learner has progress on, most recent activity first, in one page
    (`next` and `previous` are null; the shape is every list's, so one pager serves all)."""

    count: int = Field(description="Roadmaps with progress.", examples=[2])
    items: list[ProgressSummaryOut]


class StatusIn(Schema):
    """The new status of one item; `none` forgets it (not started)."""

    status: StatusName = Field(examples=["done"])


class TopicProgressOut(Schema):
    """The item's status after the change."""

    key: str = Field(examples=["jwt-authentication"])
    status: StatusName = Field(examples=["done"])
    updated_at: datetime | None = Field(
        description="When the status was stored; null for `none`.",
        examples=["2026-02-01T18:30:00Z"],
    )


class BulkStatusIn(Schema):
    """Many items of one roadmap at once, all or nothing."""

    statuses: dict[TopicKey, StatusName] = Field(
        ...,
        min_length=1,
        max_length=MAX_BULK_ITEMS,
        description=f"Topic key -> status; 1 to {MAX_BULK_ITEMS} items.",
        examples=[{"client-server-model": "done", "jwt-authentication": "in_progress"}],
    )
