"""Learner progress: the one write path, the sign-in merge, and the reads built on it.

Every change of a learner's status goes through `progress_set` (or `progress_set_many`, its
all-or-nothing batch form): the roadmap page, the API, the sign-in merge and tests all call it.
`user` is a signed-in `User` or any `progress.learners.Learner` (a `SessionLearner` wrapping a
visitor's session, an `AccountLearner`); the functions work on the `Learner` interface only, so
the page does not care which it has. Summary types live in `progress.summaries`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Union

from django.utils import timezone

from progress.errors import (
    InvalidStatusError,
    ProgressError,
    TopicNotTrackableError,
    UnknownTopicError,
)
from progress.learners import AccountLearner, Learner, SessionLearner, learner_for, learner_of
from progress.models import NOT_STARTED, Progress
from progress.summaries import Counts, RoadmapSummary, learner_progress, roadmap_summaries
from progress.summaries_sql import account_summaries
from roadmaps.models import Roadmap, Topic

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

    from accounts.models import User

__all__ = [
    "NOT_STARTED",
    "STATUSES",
    "InvalidStatusError",
    "Learner",
    "ProgressError",
    "SessionLearner",
    "TopicNotTrackableError",
    "UnknownTopicError",
    "learner_for",
    "learner_roadmaps",
    "progress_export",
    "progress_merge_session",
    "progress_reset",
    "progress_set",
    "progress_set_many",
    "roadmap_summary",
    "statuses_for",
]

STATUSES = tuple(Progress.Status.values)

# What services accept as `user`: a signed-in account, or a learner as it is.
LearnerArg = Union["User", Learner]


def _check_status(status: object) -> str:
    if not isinstance(status, str) or status not in (*STATUSES, NOT_STARTED):
        raise InvalidStatusError(status)
    return status


def _check_trackable(*, learner: Learner, topic: Topic, roadmap: Roadmap) -> None:
    if topic.roadmap_id != roadmap.pk:
        raise TopicNotTrackableError(f"Item {topic.key!r} belongs to another roadmap.")
    if topic.retired_at is not None:
        raise TopicNotTrackableError(
            f"Item {topic.key!r} was removed from this edition of the roadmap; "
            "its progress is kept but can no longer change."
        )
    if roadmap.status != Roadmap.Status.PUBLISHED and not learner.is_staff:
        raise TopicNotTrackableError(f"Roadmap {roadmap.slug!r} is not published.")


# --- Writes ---------------------------------------------------------------------------------


def progress_set(*, user: LearnerArg, topic: Topic, status: str) -> Progress | None:
    """Set one learner's status on one item ("done", "in_progress", "skipped" or "none").

    "none" means not started and removes the row. Returns the row (None for "none" and for
    session learners). Raises InvalidStatusError or TopicNotTrackableError, changing nothing.
    """
    learner = learner_of(user)
    status = _check_status(status)
    roadmap = topic.roadmap
    _check_trackable(learner=learner, topic=topic, roadmap=roadmap)
    rows = learner.write(roadmap=roadmap, changes={topic: status}, at=timezone.now())
    return rows[0] if rows else None


def progress_set_many(*, user: LearnerArg, roadmap: Roadmap, statuses: Mapping[str, str]) -> int:
    """Apply {topic key: status} to one roadmap all or nothing; returns the number of items.

    Every key and status is checked before anything is written: one unknown key, retired item
    or bad status raises (naming it) and changes nothing.
    """
    learner = learner_of(user)
    checked = {key: _check_status(status) for key, status in statuses.items()}
    topics = {t.key: t for t in Topic.objects.filter(roadmap=roadmap, key__in=list(checked))}
    for key in checked:
        topic = topics.get(key)
        if topic is None:
            raise UnknownTopicError(key, roadmap)
        _check_trackable(learner=learner, topic=topic, roadmap=roadmap)
    if not checked:
        return 0
    changes = {topics[key]: status for key, status in checked.items()}
    learner.write(roadmap=roadmap, changes=changes, at=timezone.now())
    return len(checked)


def progress_reset(*, user: LearnerArg, roadmap: Roadmap) -> int:
    """Forget all of a learner's progress on one roadmap (retired items too); returns the count."""
    return learner_of(user).clear(roadmap=roadmap)


def progress_merge_session(*, user: User, session: SessionBase) -> int:
    """Move a visitor's session progress into their account at sign-in.

    Per item the newest change wins; an account row newer than the session entry is kept, so
    nothing already in the account is lost. Entries for items that are gone, retired or no
    longer trackable are dropped. Returns the number of rows written; empties the session store.
    """
    visitor = SessionLearner(session)
    # Without a time a mark cannot be compared with the account's, so it is dropped.
    marks = {pk: mark for pk, mark in visitor.statuses().items() if mark.updated_at is not None}
    account = AccountLearner(user)
    rows = []
    now = timezone.now()
    topics = Topic.objects.filter(pk__in=list(marks)).select_related("roadmap") if marks else []
    for topic in topics:
        try:
            _check_trackable(learner=account, topic=topic, roadmap=topic.roadmap)
        except TopicNotTrackableError:
            continue
        mark = marks[topic.pk]
        at = min(mark.updated_at or now, now)  # a clock ahead must not beat later changes
        rows.append(
            Progress(
                user=user, roadmap=topic.roadmap, topic=topic, status=mark.status, updated_at=at
            )
        )
    written = account.merge(rows) if rows else 0
    visitor.clear()  # also drops entries it could not read; no write when already empty
    return written


# --- Reads ----------------------------------------------------------------------------------


def statuses_for(*, user: LearnerArg, roadmap: Roadmap) -> dict[str, str]:
    """{topic key: status} of one learner on one roadmap, active and retired items alike;
    items not started are absent."""
    marks = learner_of(user).statuses(roadmap_ids=[roadmap.pk])
    return {mark.key: mark.status for mark in marks.values()}


def roadmap_summary(*, user: LearnerArg, roadmap: Roadmap) -> RoadmapSummary:
    """Overall and per-phase counts of one learner on one roadmap (three queries at most, none
    while a signed-in learner's are kept: `summaries.learner_progress`)."""
    statuses, summary = learner_progress(learner_of(user), roadmap)
    return summary or roadmap_summaries([roadmap], statuses)[roadmap.pk]


def catalog_progress(*, user: LearnerArg, roadmaps: list[Roadmap]) -> dict[int, Counts]:
    """What catalog cards show of one learner: their counts on each listed roadmap they have
    marks on (by roadmap id), out of the card's `topic_count` (`with_catalog_stats`). One query
    for an account; none for a visitor who marked nothing."""
    marks = learner_of(user).status_counts(roadmap_ids=[roadmap.pk for roadmap in roadmaps])
    return {
        roadmap.pk: Counts(
            total=roadmap.topic_count,  # type: ignore[attr-defined]  # with_catalog_stats
            done=marks[roadmap.pk].get(Progress.Status.DONE, 0),
            in_progress=marks[roadmap.pk].get(Progress.Status.IN_PROGRESS, 0),
            skipped=marks[roadmap.pk].get(Progress.Status.SKIPPED, 0),
        )
        for roadmap in roadmaps
        if roadmap.pk in marks
    }


def learner_roadmaps(*, user: LearnerArg, published_only: bool = False) -> list[RoadmapSummary]:
    """Summaries of every roadmap the learner has progress on, most recent activity first.

    A signed-in learner's are counted in SQL (`account_summaries`): six queries whatever the
    number of roadmaps or items. A session learner's few marks are at hand without a query, so
    they are summed item by item (`roadmap_summaries`). `published_only` is for public pages,
    which must not reveal drafts.
    """
    learner = learner_of(user)
    if isinstance(learner, AccountLearner):
        marked = Progress.objects.filter(user=learner.user).values("roadmap_id")
        roadmaps = Roadmap.objects.filter(pk__in=marked)
        if published_only:
            roadmaps = roadmaps.published()
        found = account_summaries(list(roadmaps), user_id=learner.user.pk)
    else:
        statuses = learner.statuses()
        roadmaps = Roadmap.objects.filter(pk__in={mark.roadmap_id for mark in statuses.values()})
        if published_only:
            roadmaps = roadmaps.published()
        found = roadmap_summaries(list(roadmaps), statuses) if statuses else {}
    summaries = list(found.values())
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
