"""What a learner's marks add up to on a roadmap: counts, per-phase figures, where to continue.

Built from a learner's statuses (`progress.learners.LearnerStatus`, whichever kind of learner)
and the roadmap's items, in two queries whatever the number of roadmaps or items. Percentages
leave skipped items out of the denominator: percent = done / (total - skipped).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from common.stored import Store
from progress.models import Progress
from roadmaps.models import Phase, Topic

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
    min_months: int | None = None
    max_months: int | None = None

    @property
    def months(self) -> int:
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


@dataclass(frozen=True)
class Outline:
    """What summaries need of a roadmap's content: its phases in order and its items in page
    order, as plain tuples. Kept per content version (`OUTLINES`): every content write bumps
    `Roadmap.content_version`, so a learner's page or API answer reads no phase or item rows."""

    # (id, position, title, min_months, max_months)
    phases: tuple[tuple[int, int, str, int | None, int | None], ...]
    # (id, key, title, kind, retired, phase id)
    topics: tuple[tuple[int, str, str, str, bool, int | None], ...]


OUTLINES: Store[Outline] = Store(max_entries=512)


def roadmap_summaries(
    roadmaps: list[Roadmap], statuses: Mapping[int, LearnerStatus]
) -> dict[int, RoadmapSummary]:
    """Summaries of several roadmaps (by id) from one learner's statuses (by topic id): two
    queries (phases, topics) whatever the number of roadmaps or items, none for roadmaps whose
    outline is kept for their content version."""
    summaries = {roadmap.pk: RoadmapSummary(roadmap=roadmap) for roadmap in roadmaps}
    for roadmap_id, outline in roadmap_outlines(roadmaps).items():
        _summarize(summaries[roadmap_id], outline, statuses)
    return summaries


def roadmap_outlines(roadmaps: list[Roadmap]) -> dict[int, Outline]:
    """Each roadmap's outline by id: kept ones from memory, the others in two queries."""
    found: dict[int, Outline] = {}
    stamps = {roadmap.pk: _content_stamp(roadmap) for roadmap in roadmaps}
    for roadmap_id, stamp in stamps.items():
        kept = OUTLINES.peek(roadmap_id, stamp) if stamp is not None else None
        if kept is not None:
            found[roadmap_id] = kept
    missing = [roadmap_id for roadmap_id in stamps if roadmap_id not in found]
    if not missing:
        return found
    phases: dict[int, list] = {roadmap_id: [] for roadmap_id in missing}
    rows = Phase.objects.filter(roadmap_id__in=missing).order_by("roadmap_id", "position")
    for row in rows.values_list(
        "pk", "roadmap_id", "position", "title", "min_months", "max_months"
    ):
        phases[row[1]].append((row[0], row[2], row[3], row[4], row[5]))
    topics: dict[int, list] = {roadmap_id: [] for roadmap_id in missing}
    # Topics come in page order (phase, section, position), which "next up" relies on.
    items = Topic.objects.filter(roadmap_id__in=missing).values_list(
        "pk", "roadmap_id", "key", "title", "kind", "retired_at", "section__phase_id"
    )
    for topic_id, roadmap_id, key, title, kind, retired_at, phase_id in items:
        topics[roadmap_id].append((topic_id, key, title, kind, retired_at is not None, phase_id))
    for roadmap_id in missing:
        outline = Outline(phases=tuple(phases[roadmap_id]), topics=tuple(topics[roadmap_id]))
        if stamps[roadmap_id] is not None:
            OUTLINES.put(roadmap_id, stamps[roadmap_id], outline)
        found[roadmap_id] = outline
    return found


def _content_stamp(roadmap: Roadmap) -> int | None:
    """The roadmap's content version, None when the row was loaded without it (no query)."""
    return None if "content_version" in roadmap.get_deferred_fields() else roadmap.content_version


def _summarize(
    summary: RoadmapSummary, outline: Outline, statuses: Mapping[int, LearnerStatus]
) -> None:
    phases: dict[int, PhaseSummary] = {}
    for phase_id, position, title, min_months, max_months in outline.phases:
        phases[phase_id] = PhaseSummary(
            phase_id=phase_id,
            position=position,
            title=title,
            min_months=min_months,
            max_months=max_months,
        )
        summary.phases.append(phases[phase_id])
    ordered: list[ItemRef] = []
    for topic_id, key, title, kind, retired, topic_phase in outline.topics:
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
        if retired:
            if ref.status:
                summary.retired.append(ref)
            continue
        ordered.append(ref)
        summary.count(ref)
        phase_summary = phases.get(topic_phase) if topic_phase else None
        if phase_summary is not None:
            phase_summary.count(kind, ref.status)
    summary.in_progress.sort(key=lambda ref: ref.updated_at or timezone.now(), reverse=True)
    summary.next_up = _next_up(ordered)


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
