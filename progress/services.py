"""Learner progress: the one write path, the session store for visitors, and summaries.

Every change of a learner's status goes through `progress_set` (or `progress_set_many`, its
all-or-nothing batch form): the roadmap page, the API, the sign-in merge and tests all call it.
A *learner* is either a signed-in `User` (rows in `Progress`) or a `SessionLearner` wrapping a
visitor's session; the same functions accept both, so the page does not care which it has.

Percentages leave skipped items out of the denominator: percent = done / (total - skipped).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Union

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from progress.models import Progress
from roadmaps.models import Phase, Roadmap, Topic

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase
    from django.http import HttpRequest

    from accounts.models import User

STATUSES = tuple(Progress.Status.values)
NOT_STARTED = "none"
SESSION_KEY = "progress"


# --- Errors ---------------------------------------------------------------------------------


class ProgressError(Exception):
    """A progress change was refused; nothing was changed. `str(error)` is safe to show."""


class InvalidStatusError(ProgressError, ValueError):
    def __init__(self, status: object):
        self.status = status
        super().__init__(
            f"Unknown status {status!r}; expected one of: {', '.join([*STATUSES, NOT_STARTED])}."
        )


class TopicNotTrackableError(ProgressError):
    """The item is retired, or its roadmap is not published (and the learner is no editor)."""


class UnknownTopicError(ProgressError, KeyError):
    def __init__(self, key: str, roadmap: Roadmap):
        self.key = key
        super().__init__(f"Roadmap {roadmap.slug!r} has no item with key {key!r}.")

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


# --- Learners -------------------------------------------------------------------------------


class SessionLearner:
    """A signed-out visitor whose progress lives in their session until they sign in.

    Stored as {str(topic_id): {"s": status, "k": topic key, "r": roadmap id, "t": ISO time}} so
    reading a roadmap's statuses needs no query; the topic id is the same identity `Progress`
    uses, and the key travels along for the API and exports.
    """

    is_authenticated = False
    is_staff = False

    def __init__(self, session: SessionBase):
        self.session = session

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        return self.session.get(SESSION_KEY, {})

    def save_entries(self, entries: dict[str, dict[str, Any]]) -> None:
        if entries:
            self.session[SESSION_KEY] = entries
        else:
            self.session.pop(SESSION_KEY, None)
        self.session.modified = True

    def __repr__(self) -> str:
        return "<SessionLearner>"


Learner = Union["User", SessionLearner]


def learner_for(request: HttpRequest) -> Learner:
    """The person making the request: their account when signed in, else their session."""
    user = request.user
    if user.is_authenticated:
        return user  # type: ignore[return-value]
    return SessionLearner(request.session)


def _check_status(status: object) -> str:
    if not isinstance(status, str) or status not in (*STATUSES, NOT_STARTED):
        raise InvalidStatusError(status)
    return status


def _check_trackable(*, user: Learner, topic: Topic, roadmap: Roadmap) -> None:
    if topic.roadmap_id != roadmap.pk:
        raise TopicNotTrackableError(f"Item {topic.key!r} belongs to another roadmap.")
    if topic.retired_at is not None:
        raise TopicNotTrackableError(
            f"Item {topic.key!r} was removed from this edition of the roadmap; "
            "its progress is kept but can no longer change."
        )
    if roadmap.status != Roadmap.Status.PUBLISHED and not getattr(user, "is_staff", False):
        raise TopicNotTrackableError(f"Roadmap {roadmap.slug!r} is not published.")


def _check_user(user: object) -> None:
    if isinstance(user, SessionLearner):
        return
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        raise ProgressError("Only a signed-in learner or a session learner has progress.")


# --- Writes ---------------------------------------------------------------------------------


def _upsert(*, user: User, rows: list[Progress]) -> None:
    """INSERT ... ON CONFLICT (user, topic) DO UPDATE: two tabs racing on one item end with
    one row holding the last write, never an IntegrityError or a duplicate."""
    Progress.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "topic"],
        update_fields=["status", "updated_at", "roadmap"],
    )


def progress_set(*, user: Learner, topic: Topic, status: str) -> Progress | None:
    """Set one learner's status on one item ("done", "in_progress", "skipped" or "none").

    "none" means not started and removes the row. Returns the row (None for "none" and for
    session learners). Raises InvalidStatusError or TopicNotTrackableError, changing nothing.
    """
    _check_user(user)
    status = _check_status(status)
    roadmap = topic.roadmap
    _check_trackable(user=user, topic=topic, roadmap=roadmap)
    now = timezone.now()
    if isinstance(user, SessionLearner):
        entries = dict(user.entries)
        if status == NOT_STARTED:
            entries.pop(str(topic.pk), None)
        else:
            entries[str(topic.pk)] = {
                "s": status,
                "k": topic.key,
                "r": roadmap.pk,
                "t": now.isoformat(),
            }
        user.save_entries(entries)
        return None
    if status == NOT_STARTED:
        Progress.objects.filter(user=user, topic=topic).delete()
        return None
    row = Progress(user=user, roadmap=roadmap, topic=topic, status=status, updated_at=now)
    _upsert(user=user, rows=[row])
    return row


def progress_set_many(*, user: Learner, roadmap: Roadmap, statuses: Mapping[str, str]) -> int:
    """Apply {topic key: status} to one roadmap all or nothing; returns the number of items.

    Every key and status is checked before anything is written: one unknown key, retired item
    or bad status raises (naming it) and changes nothing.
    """
    _check_user(user)
    checked = {key: _check_status(status) for key, status in statuses.items()}
    topics = {t.key: t for t in Topic.objects.filter(roadmap=roadmap, key__in=list(checked))}
    for key in checked:
        topic = topics.get(key)
        if topic is None:
            raise UnknownTopicError(key, roadmap)
        _check_trackable(user=user, topic=topic, roadmap=roadmap)
    if not checked:
        return 0
    now = timezone.now()
    if isinstance(user, SessionLearner):
        entries = dict(user.entries)
        for key, status in checked.items():
            topic = topics[key]
            if status == NOT_STARTED:
                entries.pop(str(topic.pk), None)
            else:
                entries[str(topic.pk)] = {
                    "s": status,
                    "k": key,
                    "r": roadmap.pk,
                    "t": now.isoformat(),
                }
        user.save_entries(entries)
        return len(checked)
    cleared = [topics[key].pk for key, status in checked.items() if status == NOT_STARTED]
    rows = [
        Progress(user=user, roadmap=roadmap, topic=topics[key], status=status, updated_at=now)
        for key, status in checked.items()
        if status != NOT_STARTED
    ]
    with transaction.atomic():
        if cleared:
            Progress.objects.filter(user=user, topic_id__in=cleared).delete()
        if rows:
            _upsert(user=user, rows=rows)
    return len(checked)


def progress_reset(*, user: Learner, roadmap: Roadmap) -> int:
    """Forget all of a learner's progress on one roadmap (retired items too); returns the count."""
    _check_user(user)
    if isinstance(user, SessionLearner):
        entries = user.entries
        kept = {tid: e for tid, e in entries.items() if e.get("r") != roadmap.pk}
        user.save_entries(kept)
        return len(entries) - len(kept)
    deleted, _ = Progress.objects.filter(user=user, roadmap=roadmap).delete()
    return deleted


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    parsed = parse_datetime(value)
    if parsed is None or timezone.is_naive(parsed):
        return None
    return parsed


def progress_merge_session(*, user: User, session: SessionBase) -> int:
    """Move a visitor's session progress into their account at sign-in.

    Per item the newest change wins; an account row newer than the session entry is kept, so
    nothing already in the account is lost. Entries for items that are gone, retired or no
    longer trackable are dropped. Returns the number of rows written; empties the session store.
    """
    learner = SessionLearner(session)
    entries = learner.entries
    if not entries:
        return 0
    wanted: dict[int, tuple[str, datetime]] = {}
    for topic_id, entry in entries.items():
        at = _parse_time(entry.get("t") if isinstance(entry, dict) else None)
        status = entry.get("s") if isinstance(entry, dict) else None
        if at is None or status not in STATUSES or not str(topic_id).isdigit():
            continue
        wanted[int(topic_id)] = (status, min(at, timezone.now()))
    topics = Topic.objects.filter(pk__in=list(wanted)).select_related("roadmap")
    written = 0
    with transaction.atomic():
        existing = {
            row.topic_id: row
            for row in Progress.objects.select_for_update().filter(
                user=user, topic_id__in=list(wanted)
            )
        }
        changed: list[Progress] = []
        created: list[Progress] = []
        for topic in topics:
            try:
                _check_trackable(user=user, topic=topic, roadmap=topic.roadmap)
            except TopicNotTrackableError:
                continue
            status, at = wanted[topic.pk]
            row = existing.get(topic.pk)
            if row is None:
                created.append(
                    Progress(
                        user=user, roadmap=topic.roadmap, topic=topic, status=status, updated_at=at
                    )
                )
            elif row.updated_at < at:
                row.status, row.updated_at = status, at
                changed.append(row)
        if changed:
            Progress.objects.bulk_update(changed, ["status", "updated_at"])
        if created:
            # A row inserted by another request since the lock was taken is newer than anything
            # in this session (it was written "now"), so on conflict the account row wins.
            Progress.objects.bulk_create(created, ignore_conflicts=True)
        written = len(changed) + len(created)
    learner.save_entries({})
    return written


# --- Reads ----------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Status:
    status: str
    updated_at: datetime | None
    roadmap_id: int | None


def _status_rows(*, user: Learner, roadmap_ids: Iterable[int] | None) -> dict[int, _Status]:
    """topic id -> status of one learner, for some roadmaps (None: all). One query, or none for
    session learners."""
    if isinstance(user, SessionLearner):
        ids = None if roadmap_ids is None else set(roadmap_ids)
        found = {}
        for topic_id, entry in user.entries.items():
            if not isinstance(entry, dict) or entry.get("s") not in STATUSES:
                continue
            if ids is not None and entry.get("r") not in ids:
                continue
            if str(topic_id).isdigit():
                found[int(topic_id)] = _Status(
                    entry["s"], _parse_time(entry.get("t")), entry.get("r")
                )
        return found
    rows = Progress.objects.filter(user=user)
    if roadmap_ids is not None:
        rows = rows.filter(roadmap_id__in=list(roadmap_ids))
    return {
        topic_id: _Status(status, updated_at, roadmap_id)
        for topic_id, status, updated_at, roadmap_id in rows.values_list(
            "topic_id", "status", "updated_at", "roadmap_id"
        )
    }


def statuses_for(*, user: Learner, roadmap: Roadmap) -> dict[str, str]:
    """{topic key: status} of one learner on one roadmap, active and retired items alike;
    items not started are absent."""
    _check_user(user)
    if isinstance(user, SessionLearner):
        return {
            str(entry["k"]): str(entry["s"])
            for entry in user.entries.values()
            if isinstance(entry, dict) and entry.get("r") == roadmap.pk and entry.get("s")
        }
    return dict(
        Progress.objects.filter(user=user, roadmap=roadmap).values_list("topic__key", "status")
    )


def has_progress(*, user: Learner, roadmap: Roadmap) -> bool:
    if isinstance(user, SessionLearner):
        return any(isinstance(e, dict) and e.get("r") == roadmap.pk for e in user.entries.values())
    return Progress.objects.filter(user=user, roadmap=roadmap).exists()


def _summaries(roadmaps: list[Roadmap], statuses: dict[int, _Status]) -> dict[int, RoadmapSummary]:
    """Summaries of several roadmaps from one learner's statuses: two queries (topics, phases)
    whatever the number of roadmaps or items."""
    ids = [roadmap.pk for roadmap in roadmaps]
    summaries = {roadmap.pk: RoadmapSummary(roadmap=roadmap) for roadmap in roadmaps}
    phases: dict[int, PhaseSummary] = {}
    for phase in Phase.objects.filter(roadmap_id__in=ids).order_by("roadmap_id", "position"):
        summary_of_phase = PhaseSummary(
            phase_id=phase.pk,
            position=phase.position,
            title=phase.title,
            min_months=phase.min_months,
            max_months=phase.max_months,
        )
        phases[phase.pk] = summary_of_phase
        summaries[phase.roadmap_id].phases.append(summary_of_phase)
    topics = Topic.objects.filter(roadmap_id__in=ids).values_list(
        "pk", "roadmap_id", "key", "title", "kind", "retired_at", "section__phase_id"
    )
    # Topics come in page order (phase, section, position), which "next up" relies on.
    last_done: dict[int, int] = {}
    ordered: dict[int, list[ItemRef]] = {roadmap_id: [] for roadmap_id in ids}
    for topic_id, roadmap_id, key, title, kind, retired_at, phase_id in topics:
        summary = summaries[roadmap_id]
        found = statuses.get(topic_id)
        status = found.status if found else None
        ref = ItemRef(
            topic_id=topic_id,
            key=key,
            title=title,
            kind=kind,
            status=status,
            updated_at=found.updated_at if found else None,
        )
        if (
            found
            and found.updated_at
            and (summary.last_activity is None or found.updated_at > summary.last_activity)
        ):
            summary.last_activity = found.updated_at
        if retired_at is not None:
            if status:
                summary.retired.append(ref)
            continue
        if status:
            summary.statuses[key] = status
        ordered[roadmap_id].append(ref)
        if status == Progress.Status.DONE:
            last_done[roadmap_id] = len(ordered[roadmap_id]) - 1
        if status == Progress.Status.IN_PROGRESS:
            summary.in_progress.append(ref)
        summary.items = summary.items.add(status)
        phase_summary = phases.get(phase_id) if phase_id else None
        if phase_summary is not None:
            phase_summary.items = phase_summary.items.add(status)
        if kind == Topic.Kind.PROJECT:
            summary.projects = summary.projects.add(status)
            if phase_summary is not None:
                phase_summary.projects = phase_summary.projects.add(status)
        elif kind == Topic.Kind.GOAL:
            summary.goals = summary.goals.add(status)
            if phase_summary is not None:
                phase_summary.goals = phase_summary.goals.add(status)
    for roadmap_id, summary in summaries.items():
        summary.in_progress.sort(key=lambda ref: ref.updated_at or timezone.now(), reverse=True)
        summary.next_up = _next_up(ordered[roadmap_id], last_done.get(roadmap_id))
    return summaries


def _next_up(items: list[ItemRef], last_done: int | None) -> ItemRef | None:
    """Where to continue: the item most recently put in progress, else the first item not
    started after the furthest done one, else the first item not started."""
    in_progress = [ref for ref in items if ref.status == Progress.Status.IN_PROGRESS]
    if in_progress:
        return max(in_progress, key=lambda ref: ref.updated_at or timezone.now())
    start = 0 if last_done is None else last_done + 1
    for ref in [*items[start:], *items[:start]]:
        if ref.status is None:
            return ref
    return None


def roadmap_summary(*, user: Learner, roadmap: Roadmap) -> RoadmapSummary:
    """Overall and per-phase counts of one learner on one roadmap (three queries at most)."""
    _check_user(user)
    statuses = _status_rows(user=user, roadmap_ids=[roadmap.pk])
    return _summaries([roadmap], statuses)[roadmap.pk]


def learner_roadmaps(*, user: Learner, published_only: bool = False) -> list[RoadmapSummary]:
    """Summaries of every roadmap the learner has progress on, most recent activity first.

    Four queries (progress, roadmaps, phases, topics) whatever the number of
    roadmaps. `published_only` is for public pages, which must not reveal drafts.
    """
    _check_user(user)
    statuses = _status_rows(user=user, roadmap_ids=None)
    if not statuses:
        return []
    roadmap_ids = {found.roadmap_id for found in statuses.values()}
    roadmaps = Roadmap.objects.filter(pk__in=roadmap_ids)
    if published_only:
        roadmaps = roadmaps.published()
    summaries = list(_summaries(list(roadmaps), statuses).values())
    epoch = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    summaries.sort(key=lambda summary: summary.last_activity or epoch, reverse=True)
    return summaries


def progress_export(user: User) -> list[dict[str, Any]]:
    """The learner's progress for "Download my data": one entry per item, retired ones too."""
    rows = (
        Progress.objects.filter(user=user)
        .order_by("roadmap__slug", "topic__key")
        .values_list(
            "roadmap__slug", "topic__key", "topic__title", "status", "updated_at",
            "topic__retired_at",
        )
    )  # fmt: skip
    return [
        {
            "roadmap": slug,
            "topic": key,
            "title": title,
            "status": status,
            "updated_at": updated_at.isoformat(),
            "removed_from_edition": retired_at is not None,
        }
        for slug, key, title, status, updated_at, retired_at in rows
    ]
