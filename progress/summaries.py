"""What a learner's marks add up to on a roadmap: counts, per-phase figures, where to continue.

Two ways to the same figures, one module:
- `roadmap_summaries`: from a learner's statuses (`progress.learners.LearnerStatus`, whichever
  kind of learner) and every item of the roadmaps, in two queries. The roadmap page and the
  API's per-roadmap answer use it: they need each item's status anyway.
- `account_summaries` (`progress.summaries_sql`): for a signed-in learner's many roadmaps
  (dashboard, public profile, the API's list), counted in SQL, one aggregate query per
  concern, never an item per row in Python: a learner on 100 roadmaps of 150 items took
  0.46 s the first way (bench/dashboard.py).
  Its summaries carry no per-item `statuses` and at most IN_PROGRESS_SHOWN `in_progress` items;
  the counts, phases, next up, last activity and retired items are the same as the first way's
  (progress/tests/test_summaries.py compares both on a seeded dataset).

Percentages leave skipped items out of the denominator: percent = done / (total - skipped).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from common.stored import Store
from progress.models import Progress
from roadmaps.durations import in_months
from roadmaps.models import Phase, Topic

# Items in progress a dashboard card lists (the most recent ones).
IN_PROGRESS_SHOWN = 8

if TYPE_CHECKING:
    from progress.learners import Learner, LearnerStatus
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

    def seen(self, at: datetime | None) -> None:
        if at is not None and (self.last_activity is None or at > self.last_activity):
            self.last_activity = at


Months = float | None


@dataclass(frozen=True)
class Outline:
    """What summaries need of a roadmap's content: its phases in order and its items in page
    order, as plain tuples. Kept per content version (`OUTLINES`): every content write bumps
    `Roadmap.content_version`, so a learner's page or API answer reads no phase or item rows."""

    # (id, position, title, min_months, max_months)
    phases: tuple[tuple[int, int, str, Months, Months], ...]
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


LearnerProgress = tuple["dict[int, LearnerStatus]", "RoadmapSummary | None"]
# (learner id, roadmap id) -> their statuses and summary, valid for one (progress version,
# content version). A 2,000-item roadmap's marks are ~200 KB: 256 entries stay well bounded.
LEARNERS: Store[LearnerProgress] = Store(max_entries=256)


def learner_progress(learner: Learner, roadmap: Roadmap) -> LearnerProgress:
    """A learner's statuses on one roadmap and their summary (None without any marks).

    A signed-in learner's are kept per their progress version (it comes with the user row,
    which every request loads, and every write of their marks moves it on) and the roadmap's
    content version: a mark or an edit shows on the next request, and until then the page and
    `/me/progress/{slug}` cost no progress query at all. Kept values are shared between
    requests and never changed."""

    def load() -> LearnerProgress:
        statuses = learner.statuses(roadmap_ids=[roadmap.pk])
        summary = roadmap_summaries([roadmap], statuses)[roadmap.pk] if statuses else None
        return statuses, summary

    progress_key = learner.progress_key
    if progress_key is None:
        return load()
    learner_id, version = progress_key
    return LEARNERS.get((learner_id, roadmap.pk), (version, roadmap.content_version), load)


DURATION_FIELDS = ("duration_min", "duration_max", "duration_unit")


def _phase_rows(roadmap_ids: list[int]) -> Iterator[tuple[int, int, int, str, Months, Months]]:
    """(id, roadmap id, position, title, start and end in months) of the roadmaps' phases in
    order. Values, not model instances: a learner on 100 roadmaps has ~1,000 phases."""
    rows = (
        Phase.objects.filter(roadmap_id__in=roadmap_ids)
        .order_by("roadmap_id", "position")
        .values_list("pk", "roadmap_id", "position", "title", *DURATION_FIELDS)
    )
    for phase_id, roadmap_id, position, title, low, high, unit in rows:
        yield phase_id, roadmap_id, position, title, _months(low, unit), _months(high, unit)


def _months(value: Decimal | None, unit: str) -> Months:
    months = in_months(value, unit)  # weeks and days count as months (roadmaps.durations)
    return None if months is None else float(months)


def phase_summaries(summaries: dict[int, RoadmapSummary]) -> dict[int, PhaseSummary]:
    """An empty summary per phase, appended to its roadmap's in phase order; by phase id."""
    phases: dict[int, PhaseSummary] = {}
    for phase_id, roadmap_id, position, title, low, high in _phase_rows(list(summaries)):
        phases[phase_id] = PhaseSummary(
            phase_id=phase_id, position=position, title=title, min_months=low, max_months=high
        )
        summaries[roadmap_id].phases.append(phases[phase_id])
    return phases


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
    for phase_id, roadmap_id, position, title, low, high in _phase_rows(missing):
        phases[roadmap_id].append((phase_id, position, title, low, high))
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


# Where a status is tallied in [total, done, in progress, skipped]; other values count as total.
STATUS_SLOT = {
    Progress.Status.DONE.value: 1,
    Progress.Status.IN_PROGRESS.value: 2,
    Progress.Status.SKIPPED.value: 3,
}
KIND_GROUP = {Topic.Kind.PROJECT.value: "projects", Topic.Kind.GOAL.value: "goals"}
TopicRow = tuple[int, str, str, str, bool, int | None]
Tallies = dict[tuple[int, str], list[int]]  # (phase id, 0 for the roadmap; group) -> tally


def _summarize(
    summary: RoadmapSummary, outline: Outline, statuses: Mapping[int, LearnerStatus]
) -> None:
    """Fill `summary` from the outline and the learner's statuses. Counting is done in plain
    integer tallies turned into Counts once (a 2,000-item roadmap otherwise built ~5,000 Counts
    per request), and ItemRefs are made only for the items the summary points at."""
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
    tallies: Tallies = {}
    active: list[tuple[TopicRow, LearnerStatus | None]] = []  # page order, for "next up"
    for topic in outline.topics:
        topic_id, key, _title, kind, retired, topic_phase = topic
        found = statuses.get(topic_id)
        status = found.status if found else None
        if found is not None:
            summary.seen(found.updated_at)
        if retired:
            if status:
                summary.retired.append(_item_ref(topic, found))
            continue
        active.append((topic, found))
        if status:
            summary.statuses[key] = status
        if status == Progress.Status.IN_PROGRESS:
            summary.in_progress.append(_item_ref(topic, found))
        slot = STATUS_SLOT.get(status or "", 0)
        group = KIND_GROUP.get(kind)
        owners = (0, topic_phase) if topic_phase and topic_phase in phases else (0,)
        for owner in owners:
            for name in ("items", group) if group else ("items",):
                tally = tallies.setdefault((owner, name), [0, 0, 0, 0])
                tally[0] += 1
                if slot:
                    tally[slot] += 1
    summary.items, summary.projects, summary.goals = _counts(tallies, 0)
    for phase_id, phase in phases.items():
        phase.items, phase.projects, phase.goals = _counts(tallies, phase_id)
    summary.in_progress.sort(key=lambda ref: ref.updated_at or timezone.now(), reverse=True)
    summary.next_up = _next_up(active)


def _counts(tallies: Tallies, owner: int) -> tuple[Counts, Counts, Counts]:
    def counts(name: str) -> Counts:
        total, done, in_progress, skipped = tallies.get((owner, name), (0, 0, 0, 0))
        return Counts(total=total, done=done, in_progress=in_progress, skipped=skipped)

    return counts("items"), counts("projects"), counts("goals")


def _item_ref(topic: TopicRow, found: LearnerStatus | None) -> ItemRef:
    topic_id, key, title, kind, _retired, _phase = topic
    return ItemRef(
        topic_id=topic_id,
        key=key,
        title=title,
        kind=kind,
        status=found.status if found else None,
        updated_at=found.updated_at if found else None,
    )


def _next_up(items: list[tuple[TopicRow, LearnerStatus | None]]) -> ItemRef | None:
    """Where to continue in items in page order: the item most recently put in progress, else
    the first item not started after the furthest done one, else the first item not started."""
    in_progress = [
        (topic, found)
        for topic, found in items
        if found is not None and found.status == Progress.Status.IN_PROGRESS
    ]
    if in_progress:
        return _item_ref(*max(in_progress, key=lambda pair: pair[1].updated_at or timezone.now()))
    done = [
        n
        for n, (_, found) in enumerate(items)
        if found is not None and found.status == Progress.Status.DONE
    ]
    start = done[-1] + 1 if done else 0
    for topic, found in [*items[start:], *items[:start]]:
        if found is None or found.status is None:
            return _item_ref(topic, found)
    return None
