"""What a learner's marks add up to on a roadmap: counts, per-phase figures, where to continue.

Two ways to the same figures, one module:
- `roadmap_summaries`: from a learner's statuses (`progress.learners.LearnerStatus`, whichever
  kind of learner) and every item of the roadmaps, in two queries. The roadmap page and the
  API's per-roadmap answer use it: they need each item's status anyway.
- `account_summaries`: for a signed-in learner's many roadmaps (dashboard, public profile, the
  API's list), counted in SQL, one aggregate query per concern, never an item per row in
  Python: a learner on 100 roadmaps of 150 items took 0.46 s the first way (bench/dashboard.py).
  Its summaries carry no per-item `statuses` and at most IN_PROGRESS_SHOWN `in_progress` items;
  the counts, phases, next up, last activity and retired items are the same as the first way's
  (progress/tests/test_summaries.py compares both on a seeded dataset).

Percentages leave skipped items out of the denominator: percent = done / (total - skipped).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, models
from django.db.models import Aggregate, Count, F, FilteredRelation, Max, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from progress.models import Progress
from roadmaps.durations import in_months
from roadmaps.models import Phase, Section, Topic

# Items in progress a dashboard card lists (the most recent ones).
IN_PROGRESS_SHOWN = 8

if TYPE_CHECKING:
    from progress.learners import LearnerStatus
    from roadmaps.models import Roadmap


@dataclass(frozen=True)
class Counts:
    """done / in progress / skipped out of total items; skipped items leave the denominator."""

    total: int = 0
    done: int = 0
    in_progress: int = 0
    skipped: int = 0

    @property
    def countable(self) -> int:
        return self.total - self.skipped

    @property
    def percent(self) -> int:
        """done / (total - skipped) as a whole percent, rounded half up, except that it shows
        100 only when everything countable is done and at least 1 once anything is."""
        if self.countable <= 0:  # nothing, or everything skipped: nothing was done
            return 0
        percent = (self.done * 200 + self.countable) // (2 * self.countable)
        if self.done < self.countable:
            percent = min(percent, 99)
        if self.done:
            percent = max(percent, 1)
        return percent

    @property
    def started(self) -> int:
        return self.done + self.in_progress + self.skipped

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done + self.skipped >= self.total and self.done > 0

    def add(self, status: str | None) -> Counts:
        return Counts(
            total=self.total + 1,
            done=self.done + (status == Progress.Status.DONE),
            in_progress=self.in_progress + (status == Progress.Status.IN_PROGRESS),
            skipped=self.skipped + (status == Progress.Status.SKIPPED),
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "done": self.done,
            "in_progress": self.in_progress,
            "skipped": self.skipped,
            "percent": self.percent,
        }


@dataclass(frozen=True)
class ItemRef:
    """An item a summary points at (in progress, retired, next up)."""

    topic_id: int
    key: str
    title: str
    kind: str
    status: str | None = None
    updated_at: datetime | None = None


@dataclass
class PhaseSummary:
    phase_id: int
    position: int
    title: str
    items: Counts = field(default_factory=Counts)
    projects: Counts = field(default_factory=Counts)
    goals: Counts = field(default_factory=Counts)
    # The phase's range in months (weeks and days converted, see roadmaps.durations).
    min_months: float | None = None
    max_months: float | None = None

    @property
    def months(self) -> float:
        if self.min_months is None or self.max_months is None:
            return 0
        return self.max_months - self.min_months

    @property
    def months_left(self) -> float:
        """This phase's share of the roadmap's pace still ahead: its months times the fraction
        of its items neither done nor skipped."""
        if not self.months or not self.items.total:
            return 0.0
        open_items = self.items.total - self.items.done - self.items.skipped
        return self.months * open_items / self.items.total

    def count(self, kind: str, status: str | None) -> None:
        self.items = self.items.add(status)
        if kind == Topic.Kind.PROJECT:
            self.projects = self.projects.add(status)
        elif kind == Topic.Kind.GOAL:
            self.goals = self.goals.add(status)


@dataclass
class RoadmapSummary:
    roadmap: Roadmap
    items: Counts = field(default_factory=Counts)
    projects: Counts = field(default_factory=Counts)
    goals: Counts = field(default_factory=Counts)
    phases: list[PhaseSummary] = field(default_factory=list)
    # Most recently changed first (`account_summaries` keeps the first IN_PROGRESS_SHOWN; the
    # number of items in progress is `items.in_progress`).
    in_progress: list[ItemRef] = field(default_factory=list)
    retired: list[ItemRef] = field(default_factory=list)
    next_up: ItemRef | None = None
    last_activity: datetime | None = None
    # Items of the roadmap's active edition the learner touched; keyed by topic key.
    statuses: dict[str, str] = field(default_factory=dict)

    @property
    def months_left(self) -> int | None:
        """Whole months left at the roadmap's pace (phase month ranges), None without ranges."""
        if not any(phase.months for phase in self.phases):
            return None
        return math.ceil(round(sum(phase.months_left for phase in self.phases), 6))

    @property
    def is_complete(self) -> bool:
        return self.items.is_complete

    def phase(self, phase_id: int) -> PhaseSummary | None:
        for phase in self.phases:
            if phase.phase_id == phase_id:
                return phase
        return None

    def count(self, ref: ItemRef) -> None:
        """Add one item of the active edition, in page order."""
        if ref.status:
            self.statuses[ref.key] = ref.status
        if ref.status == Progress.Status.IN_PROGRESS:
            self.in_progress.append(ref)
        self.items = self.items.add(ref.status)
        if ref.kind == Topic.Kind.PROJECT:
            self.projects = self.projects.add(ref.status)
        elif ref.kind == Topic.Kind.GOAL:
            self.goals = self.goals.add(ref.status)

    def seen(self, at: datetime | None) -> None:
        if at is not None and (self.last_activity is None or at > self.last_activity):
            self.last_activity = at


def roadmap_summaries(
    roadmaps: list[Roadmap], statuses: Mapping[int, LearnerStatus]
) -> dict[int, RoadmapSummary]:
    """Summaries of several roadmaps (by id) from one learner's statuses (by topic id): two
    queries (phases, topics) whatever the number of roadmaps or items."""
    ids = [roadmap.pk for roadmap in roadmaps]
    summaries = {roadmap.pk: RoadmapSummary(roadmap=roadmap) for roadmap in roadmaps}
    phases = _phase_summaries(summaries)
    topics = Topic.objects.filter(roadmap_id__in=ids).values_list(
        "pk", "roadmap_id", "key", "title", "kind", "retired_at", "section__phase_id"
    )
    # Topics come in page order (phase, section, position), which "next up" relies on.
    ordered: dict[int, list[ItemRef]] = {roadmap_id: [] for roadmap_id in ids}
    for topic_id, roadmap_id, key, title, kind, retired_at, phase_id in topics:
        summary = summaries[roadmap_id]
        found = statuses.get(topic_id)
        ref = ItemRef(
            topic_id=topic_id,
            key=key,
            title=title,
            kind=kind,
            status=found.status if found else None,
            updated_at=found.updated_at if found else None,
        )
        summary.seen(ref.updated_at)
        if retired_at is not None:
            if ref.status:
                summary.retired.append(ref)
            continue
        ordered[roadmap_id].append(ref)
        summary.count(ref)
        phase_summary = phases.get(phase_id) if phase_id else None
        if phase_summary is not None:
            phase_summary.count(kind, ref.status)
    for roadmap_id, summary in summaries.items():
        summary.in_progress.sort(key=lambda ref: ref.updated_at or timezone.now(), reverse=True)
        summary.next_up = _next_up(ordered[roadmap_id])
    return summaries


DURATION_FIELDS = ("duration_min", "duration_max", "duration_unit")


def _phase_summaries(summaries: dict[int, RoadmapSummary]) -> dict[int, PhaseSummary]:
    """An empty summary per phase, appended to its roadmap's in phase order; by phase id."""
    phases: dict[int, PhaseSummary] = {}
    rows = (
        Phase.objects.filter(roadmap_id__in=list(summaries))
        .order_by("roadmap_id", "position")
        .values_list("pk", "roadmap_id", "position", "title", *DURATION_FIELDS)
    )
    for phase_id, roadmap_id, position, title, low, high, unit in rows:
        # Values, not model instances: a learner on 100 roadmaps has ~1,000 phases.
        min_months, max_months = in_months(low, unit), in_months(high, unit)
        phases[phase_id] = PhaseSummary(
            phase_id=phase_id,
            position=position,
            title=title,
            min_months=None if min_months is None else float(min_months),
            max_months=None if max_months is None else float(max_months),
        )
        summaries[roadmap_id].phases.append(phases[phase_id])
    return phases


def _next_up(items: list[ItemRef]) -> ItemRef | None:
    """Where to continue in items in page order: the item most recently put in progress, else
    the first item not started after the furthest done one, else the first item not started."""
    in_progress = [ref for ref in items if ref.status == Progress.Status.IN_PROGRESS]
    if in_progress:
        return max(in_progress, key=lambda ref: ref.updated_at or timezone.now())
    done = [n for n, ref in enumerate(items) if ref.status == Progress.Status.DONE]
    start = done[-1] + 1 if done else 0
    for ref in [*items[start:], *items[:start]]:
        if ref.status is None:
            return ref
    return None


def account_summaries(roadmaps: list[Roadmap], *, user_id: int) -> dict[int, RoadmapSummary]:
    """Summaries of several roadmaps (by id) for the signed-in learner `user_id`, counted in
    SQL (see the module's note): phases, counts per phase and kind (with the latest mark),
    retired items, items in progress, where to continue. Five queries whatever the number of
    roadmaps or items; four when every roadmap has an item in progress."""
    summaries = {roadmap.pk: RoadmapSummary(roadmap=roadmap) for roadmap in roadmaps}
    if not summaries:
        return summaries
    phases = _phase_summaries(summaries)
    _count_items(summaries, phases, user_id=user_id)
    marks = Progress.objects.filter(user_id=user_id, roadmap_id__in=list(summaries)).order_by()
    retired = marks.filter(topic__retired_at__isnull=False).order_by(
        "roadmap_id", "topic__position", "topic_id"
    )
    for roadmap_id, ref in _item_refs(retired):
        summaries[roadmap_id].retired.append(ref)
        summaries[roadmap_id].seen(ref.updated_at)
    for roadmap_id, ref in _item_refs(_recent_in_progress(marks)):
        summaries[roadmap_id].in_progress.append(ref)
    for summary in summaries.values():
        summary.next_up = summary.in_progress[0] if summary.in_progress else None
    waiting = [pk for pk, summary in summaries.items() if summary.next_up is None]
    for roadmap_id, ref in _first_not_started(waiting, user_id=user_id):
        summaries[roadmap_id].next_up = ref
    return summaries


def _count_items(
    summaries: dict[int, RoadmapSummary], phases: dict[int, PhaseSummary], *, user_id: int
) -> None:
    """Active items per phase and kind, the learner's marks among them by status and the time
    of the latest: one GROUP BY over the roadmaps' items joined to the learner's rows."""
    statuses = [Progress.Status.DONE, Progress.Status.IN_PROGRESS, Progress.Status.SKIPPED]
    kinds = [Topic.Kind.PROJECT, Topic.Kind.GOAL]
    columns: dict[str, Aggregate] = {"last": Max("mine__updated_at"), "n_total": Count("pk")}
    for status in statuses:
        columns[f"n_{status}"] = Count("pk", filter=Q(mine__status=status))
    for kind in kinds:
        columns[f"n_{kind}"] = Count("pk", filter=Q(kind=kind))
        for status in statuses:
            columns[f"n_{kind}_{status}"] = Count("pk", filter=Q(kind=kind, mine__status=status))
    rows = (
        Topic.objects.active()
        .filter(roadmap_id__in=list(summaries))
        .annotate(mine=FilteredRelation("progress", condition=Q(progress__user_id=user_id)))
        .order_by()
        .values_list("roadmap_id", "section__phase_id")
        .annotate(**columns)
    )
    # Per row: the latest mark, then the counts of all items, of projects and of goals, each
    # as (total, done, in progress, skipped): the order of Counts' fields. One row per phase
    # (and one for items outside any phase, which count for the roadmap only).
    totals: dict[int, list[int]] = {roadmap_id: [0] * 12 for roadmap_id in summaries}
    for roadmap_id, phase_id, last, *figures in rows:
        summaries[roadmap_id].seen(last)
        totals[roadmap_id] = [a + b for a, b in zip(totals[roadmap_id], figures, strict=True)]
        phase = phases.get(phase_id)
        if phase is not None:
            phase.items, phase.projects, phase.goals = _counts_of(figures)
    for roadmap_id, figures in totals.items():
        summary = summaries[roadmap_id]
        summary.items, summary.projects, summary.goals = _counts_of(figures)


def _counts_of(figures: list[int]) -> tuple[Counts, Counts, Counts]:
    """Items, projects and goals from twelve figures, four each."""
    return Counts(*figures[0:4]), Counts(*figures[4:8]), Counts(*figures[8:12])


def _recent_in_progress(marks: models.QuerySet[Progress]) -> models.QuerySet[Progress]:
    """The learner's IN_PROGRESS_SHOWN most recent items in progress per roadmap (ties in page
    order, as `roadmap_summaries` sorts them)."""
    page_order = [
        F("topic__section__phase__position"),
        F("topic__section__position"),
        F("topic__position"),
        F("topic_id"),
    ]
    recent = Window(
        RowNumber(), partition_by=[F("roadmap_id")], order_by=[F("updated_at").desc(), *page_order]
    )
    return (
        marks.filter(status=Progress.Status.IN_PROGRESS, topic__retired_at__isnull=True)
        .annotate(rank=recent)
        .filter(rank__lte=IN_PROGRESS_SHOWN)
        .order_by("roadmap_id", "rank")
    )


def _item_refs(marks: models.QuerySet[Progress]) -> list[tuple[int, ItemRef]]:
    rows = marks.values_list(
        "roadmap_id", "topic_id", "topic__key", "topic__title", "topic__kind", "status",
        "updated_at",
    )  # fmt: skip
    return [
        (roadmap_id, ItemRef(topic_id, key, title, kind, status, updated_at))
        for roadmap_id, topic_id, key, title, kind, status, updated_at in rows
    ]


# Per roadmap: every active item numbered in page order with the learner's status, the number
# of the furthest item done, then the first item not started after it (else the first one).
_NEXT_UP_SQL = """
WITH ordered AS (
    SELECT t.id AS topic_id, t.roadmap_id, p.status,
           ROW_NUMBER() OVER (
               PARTITION BY t.roadmap_id ORDER BY ph.position, s.position, t.position, t.id
           ) AS n
    FROM {topic} t
    JOIN {section} s ON s.id = t.section_id
    JOIN {phase} ph ON ph.id = s.phase_id
    LEFT JOIN {progress} p ON p.topic_id = t.id AND p.user_id = %s
    WHERE t.roadmap_id IN ({roadmaps}) AND t.retired_at IS NULL
), furthest AS (
    SELECT roadmap_id, COALESCE(MAX(CASE WHEN status = %s THEN n END), 0) AS n
    FROM ordered GROUP BY roadmap_id
), picked AS (
    SELECT o.roadmap_id, COALESCE(MIN(CASE WHEN o.n > f.n THEN o.n END), MIN(o.n)) AS n
    FROM ordered o JOIN furthest f ON f.roadmap_id = o.roadmap_id
    WHERE o.status IS NULL GROUP BY o.roadmap_id
)
SELECT o.roadmap_id, t.id, t.key, t.title, t.kind
FROM picked JOIN ordered o ON o.roadmap_id = picked.roadmap_id AND o.n = picked.n
JOIN {topic} t ON t.id = o.topic_id
"""


def _first_not_started(roadmap_ids: list[int], *, user_id: int) -> list[tuple[int, ItemRef]]:
    """Where to continue on roadmaps with nothing in progress (`_next_up`'s second and third
    rules), in one statement: window functions number the items in page order."""
    if not roadmap_ids:
        return []
    tables = {
        name: connection.ops.quote_name(model._meta.db_table)
        for name, model in (
            ("topic", Topic),
            ("section", Section),
            ("phase", Phase),
            ("progress", Progress),
        )
    }
    sql = _NEXT_UP_SQL.format(**tables, roadmaps=", ".join(["%s"] * len(roadmap_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, *roadmap_ids, Progress.Status.DONE.value])
        rows = cursor.fetchall()
    return [
        (roadmap_id, ItemRef(topic_id, key, title, kind))
        for roadmap_id, topic_id, key, title, kind in rows
    ]
