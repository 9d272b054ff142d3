"""Who has progress: a signed-in learner (rows in `Progress`) or a signed-out visitor (marks in
their session until they sign in), behind one small interface.

Services talk to `Learner` only (read statuses, write, clear), so each has one code path and
this module alone knows where a learner's marks are kept and in which format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from progress.errors import ProgressError
from progress.models import NOT_STARTED, Progress
from progress.transactions import atomic_with_retry
from roadmaps.models import Topic

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase
    from django.http import HttpRequest

    from accounts.models import User
    from roadmaps.models import Roadmap

SESSION_KEY = "progress"
# Set on a user whose marks this request wrote (AccountLearner.progress_version).
WRITTEN_ATTRIBUTE = "_progress_written"


@dataclass(frozen=True)
class LearnerStatus:
    """One learner's mark on one item, as stored (retired items included)."""

    topic_id: int
    key: str
    roadmap_id: int
    status: str
    updated_at: datetime | None


class Learner(Protocol):
    """What the services need of a learner, wherever their marks are kept."""

    @property
    def is_session(self) -> bool:
        """True for a signed-out visitor, whose marks last as long as their session."""
        ...

    @property
    def is_staff(self) -> bool:
        """Editors may track roadmaps that are not published yet."""
        ...

    @property
    def progress_key(self) -> tuple[int, int] | None:
        """(learner id, progress version): the version moves on with every write of the
        learner's marks, so what was read under one key stays true. None where nothing is
        kept (a session's marks cost no query to read)."""
        ...

    def statuses(self, *, roadmap_ids: Iterable[int] | None = None) -> dict[int, LearnerStatus]:
        """topic id -> mark, on some roadmaps (None: all). One query at most."""
        ...

    def status_counts(self, *, roadmap_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        """roadmap id -> {status: number of marks} on the roadmaps' active items (retired ones
        left out, as in the roadmaps' item counts). One query at most."""
        ...

    def write(
        self, *, roadmap: Roadmap, changes: Mapping[Topic, str], at: datetime
    ) -> list[Progress]:
        """Apply {topic: status} (NOT_STARTED forgets the item) on one roadmap, all or nothing,
        stamped `at`. Returns the rows stored in the database (none for a session)."""
        ...

    def clear(self, *, roadmap: Roadmap | None = None) -> int:
        """Forget the marks on one roadmap (None: all); returns how many were forgotten."""
        ...


class SessionLearner:
    """A signed-out visitor whose progress lives in their session until they sign in.

    Stored as {str(topic_id): {"s": status, "k": topic key, "r": roadmap id, "t": ISO time}} so
    reading a roadmap's statuses needs no query; the topic id is the same identity `Progress`
    uses, and the key travels along for the API and exports.
    """

    is_authenticated = False
    is_session = True
    is_staff = False
    progress_key = None

    def __init__(self, session: SessionBase):
        self.session = session

    def __repr__(self) -> str:
        return "<SessionLearner>"

    def _entries(self) -> dict[str, Any]:
        entries = self.session.get(SESSION_KEY, {})
        return entries if isinstance(entries, dict) else {}

    def _save(self, entries: dict[str, Any]) -> None:
        # Item assignment and pop mark the session modified, so it is saved with the response.
        if entries:
            self.session[SESSION_KEY] = entries
        else:
            self.session.pop(SESSION_KEY, None)

    def statuses(self, *, roadmap_ids: Iterable[int] | None = None) -> dict[int, LearnerStatus]:
        wanted = None if roadmap_ids is None else set(roadmap_ids)
        found = {}
        for topic_id, entry in self._entries().items():
            status = _session_status(topic_id, entry)
            if status is not None and (wanted is None or status.roadmap_id in wanted):
                found[status.topic_id] = status
        return found

    def status_counts(self, *, roadmap_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        marks = self.statuses(roadmap_ids=roadmap_ids)
        if not marks:
            return {}  # a visitor who marked nothing costs no query
        active = set(Topic.objects.active().filter(pk__in=list(marks)).values_list("pk", flat=True))
        counts: dict[int, dict[str, int]] = {}
        for mark in marks.values():
            if mark.topic_id in active:
                by_status = counts.setdefault(mark.roadmap_id, {})
                by_status[mark.status] = by_status.get(mark.status, 0) + 1
        return counts

    def write(
        self, *, roadmap: Roadmap, changes: Mapping[Topic, str], at: datetime
    ) -> list[Progress]:
        entries = dict(self._entries())
        for topic, status in changes.items():
            if status == NOT_STARTED:
                entries.pop(str(topic.pk), None)
            else:
                entries[str(topic.pk)] = {
                    "s": status,
                    "k": topic.key,
                    "r": roadmap.pk,
                    "t": at.isoformat(),
                }
        self._save(entries)
        return []

    def clear(self, *, roadmap: Roadmap | None = None) -> int:
        entries = self._entries()
        if roadmap is None:
            kept = {}
        else:
            kept = {
                topic_id: entry
                for topic_id, entry in entries.items()
                if not (isinstance(entry, dict) and entry.get("r") == roadmap.pk)
            }
        self._save(kept)
        return len(entries) - len(kept)


def _session_status(topic_id: object, entry: object) -> LearnerStatus | None:
    """One session entry, or None when it is not one this module wrote (a session can outlive a
    format change); a missing or naive time reads as unknown."""
    if not isinstance(entry, dict) or not str(topic_id).isdigit():
        return None
    status, key, roadmap_id = entry.get("s"), entry.get("k"), entry.get("r")
    if status not in Progress.Status.values or not isinstance(key, str):
        return None
    if not isinstance(roadmap_id, int):
        return None
    at = entry.get("t")
    updated_at = parse_datetime(at) if isinstance(at, str) else None
    if updated_at is not None and timezone.is_naive(updated_at):
        updated_at = None
    return LearnerStatus(int(str(topic_id)), key, roadmap_id, status, updated_at)


def _statuses_on_roadmap(user_id: int, roadmap_id: int) -> dict[int, LearnerStatus]:
    """A learner's marks on one roadmap (the roadmap page, `/me/progress/{slug}`: every
    learner's request) in one short SQL statement: through the ORM, building the query cost
    more CPU than PostgreSQL spent answering it (README "Performance")."""
    progress = connection.ops.quote_name(Progress._meta.db_table)
    topics = connection.ops.quote_name(Topic._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.topic_id, t.key, p.status, p.updated_at FROM {progress} p "  # noqa: S608
            f"JOIN {topics} t ON t.id = p.topic_id WHERE p.user_id = %s AND p.roadmap_id = %s",
            [user_id, roadmap_id],
        )
        rows = cursor.fetchall()
    return {
        topic_id: LearnerStatus(topic_id, key, roadmap_id, status, _aware(updated_at))
        for topic_id, key, status, updated_at in rows
    }


def _aware(moment: datetime | str) -> datetime:
    """A time as the ORM gives it: SQLite's driver answers naive UTC (or text)."""
    if isinstance(moment, str):
        moment = cast(datetime, parse_datetime(moment))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


class AccountLearner:
    """A signed-in learner: one `Progress` row per item they marked."""

    is_session = False

    def __init__(self, user: User):
        self.user = user

    def __repr__(self) -> str:
        return f"<AccountLearner {self.user.pk}>"

    @property
    def is_staff(self) -> bool:
        return bool(self.user.is_staff)

    def statuses(self, *, roadmap_ids: Iterable[int] | None = None) -> dict[int, LearnerStatus]:
        if roadmap_ids is not None:
            ids = list(roadmap_ids)
            if len(ids) == 1:
                return _statuses_on_roadmap(self.user.pk, ids[0])
        rows = Progress.objects.filter(user=self.user)
        if roadmap_ids is not None:
            rows = rows.filter(roadmap_id__in=ids)
        return {
            topic_id: LearnerStatus(topic_id, key, roadmap_id, status, updated_at)
            for topic_id, key, roadmap_id, status, updated_at in rows.values_list(
                "topic_id", "topic__key", "roadmap_id", "status", "updated_at"
            )
        }

    def status_counts(self, *, roadmap_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        rows = (
            Progress.objects.filter(
                user=self.user, roadmap_id__in=list(roadmap_ids), topic__retired_at__isnull=True
            )
            .order_by()
            .values_list("roadmap_id", "status")
            .annotate(marks=Count("pk"))
        )
        counts: dict[int, dict[str, int]] = {}
        for roadmap_id, status, marks in rows:
            counts.setdefault(roadmap_id, {})[status] = marks
        return counts

    def write(
        self, *, roadmap: Roadmap, changes: Mapping[Topic, str], at: datetime
    ) -> list[Progress]:
        # Every row is locked by one upsert in topic id order, so two writers of the same
        # items take their locks in one order and neither waits for a row the other holds.
        # Rows to clear are upserted too, then deleted: a DELETE would lock in the order of its
        # scan, and could not claim a row that another writer is inserting.
        ordered = sorted(changes.items(), key=lambda change: change[0].pk)
        rows = [
            Progress(user=self.user, roadmap=roadmap, topic=topic, status=status, updated_at=at)
            for topic, status in ordered
        ]
        stored = [row for row in rows if row.status != NOT_STARTED]
        cleared = [row.topic_id for row in rows if row.status == NOT_STARTED]

        def apply() -> None:
            if cleared and len(rows) > 1:
                _upsert([_claim(row) for row in rows])
            elif stored:
                _upsert(stored)
            if cleared:
                Progress.objects.filter(user=self.user, topic_id__in=cleared).delete()

        if len(rows) == 1:
            apply()  # one statement, atomic on its own, holding one lock: it cannot deadlock
        elif rows:
            atomic_with_retry(apply)
        if rows:
            self._written()
        return stored

    def clear(self, *, roadmap: Roadmap | None = None) -> int:
        rows = Progress.objects.filter(user=self.user)
        if roadmap is not None:
            rows = rows.filter(roadmap=roadmap)
        deleted, _ = rows.delete()
        self._written()
        return deleted

    def merge(self, marks: list[Progress]) -> int:
        """Store marks made elsewhere (unsaved rows of this learner, the sign-in merge): per
        item the newer of the mark and the learner's own row wins. Returns the rows written."""
        marks = sorted(marks, key=lambda mark: mark.topic_id)

        def apply() -> int:
            existing = {row.topic_id: row for row in self._lock([m.topic_id for m in marks])}
            changed: list[Progress] = []
            created: list[Progress] = []
            for mark in marks:
                row = existing.get(mark.topic_id)
                if row is None:
                    created.append(mark)
                elif row.updated_at < mark.updated_at:
                    row.status, row.updated_at = mark.status, mark.updated_at
                    changed.append(row)
            if changed:
                Progress.objects.bulk_update(changed, ["status", "updated_at"])
            if created:
                # A row inserted by another request since the lock was taken is newer than any
                # mark merged here (it was written "now"), so on conflict the account row wins.
                Progress.objects.bulk_create(created, ignore_conflicts=True)
            return len(changed) + len(created)

        written = atomic_with_retry(apply)
        self._written()
        return written

    @property
    def progress_key(self) -> tuple[int, int] | None:
        """The learner and their progress version as loaded with the user row; None once this
        request wrote marks (what it loaded is older than its own write)."""
        if getattr(self.user, WRITTEN_ATTRIBUTE, False):
            return None
        return self.user.pk, self.user.progress_version

    def _written(self) -> None:
        # After the marks are committed (or in their transaction): a request that loads the
        # user row after this sees a new version, and anything kept under the old one was
        # read before the bump. Bumping first could let a reader keep the old marks under the
        # new version. The user row is locked last, after the marks' rows: no lock cycle.
        get_user_model().objects.filter(pk=self.user.pk).update(
            progress_version=F("progress_version") + 1
        )
        setattr(self.user, WRITTEN_ATTRIBUTE, True)

    def _lock(self, topic_ids: list[int]) -> list[Progress]:
        """Lock the learner's existing rows of these items, in topic id order."""
        return list(
            Progress.objects.select_for_update()
            .filter(user=self.user, topic_id__in=topic_ids)
            .order_by("topic_id")
        )


def _claim(row: Progress) -> Progress:
    """The row to upsert for a change, a cleared item included: its status is a placeholder
    that no reader sees, deleted again in the same transaction."""
    if row.status != NOT_STARTED:
        return row
    return Progress(
        user=row.user,
        roadmap=row.roadmap,
        topic=row.topic,
        status=Progress.Status.SKIPPED,
        updated_at=row.updated_at,
    )


def _upsert(rows: list[Progress]) -> None:
    """INSERT ... ON CONFLICT (user, topic) DO UPDATE: two tabs racing on one item end with
    one row holding the last write, never an IntegrityError or a duplicate."""
    Progress.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "topic"],
        update_fields=["status", "updated_at", "roadmap"],
    )


def learner_of(user: object) -> Learner:
    """The learner behind a service's `user` argument: a `Learner` as it is, a signed-in
    `User` as an `AccountLearner`. Anyone else (an anonymous user) has no progress."""
    if isinstance(user, SessionLearner | AccountLearner):
        return user
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        raise ProgressError("Only a signed-in learner or a session learner has progress.")
    return AccountLearner(cast("User", user))


def learner_for(request: HttpRequest) -> Learner:
    """The person making the request: their account when signed in, else their session."""
    if request.user.is_authenticated:
        return learner_of(request.user)
    return SessionLearner(request.session)
