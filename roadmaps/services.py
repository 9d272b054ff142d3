"""Editorial writes that must keep learners' progress: renaming an item's key, deleting sections
and phases that hold items, counting who has progress on a roadmap.

`roadmaps` knows nothing of `progress`. Learners' rows are found through the model graph: every
model that points at Topic with a protecting foreign key (PROTECT or RESTRICT) holds someone's
work on that item, and its unique constraint over (owner, topic) names the owner (the learner).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Phase, Section, Topic
from roadmaps.ordering import renumber
from roadmaps.validators import validate_topic_key


@dataclass(frozen=True)
class _WorkRelation:
    """A model holding learners' work on topics: its foreign key to Topic and its owner fields
    (the other fields of its unique constraint with that key, e.g. `user`)."""

    model: type[models.Model]
    topic_field: models.ForeignKey
    owner_fields: tuple[str, ...]

    def rows(self, **lookups: object) -> models.QuerySet:
        return self.model._default_manager.filter(**lookups)


def _work_relations() -> Iterator[_WorkRelation]:
    for relation in Topic._meta.related_objects:
        if relation.on_delete not in (models.PROTECT, models.RESTRICT):
            continue
        model: type[models.Model] = relation.related_model  # type: ignore[assignment]
        field: models.ForeignKey = relation.field  # type: ignore[assignment]
        owners: tuple[str, ...] = ()
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if field.name in fields:
                owners = tuple(name for name in fields if name != field.name)
                break
        yield _WorkRelation(model, field, owners)


def topics_in_use(topic_ids: Sequence[int]) -> set[int]:
    """The topics among `topic_ids` that learners have progress on."""
    in_use: set[int] = set()
    for work in _work_relations():
        rows = work.rows(**{f"{work.topic_field.name}__in": list(topic_ids)})
        in_use.update(rows.values_list(work.topic_field.attname, flat=True))
    return in_use


def progress_row_count(topic_ids: Sequence[int]) -> int:
    """How many learners' progress rows point at these topics."""
    return sum(
        work.rows(**{f"{work.topic_field.name}__in": list(topic_ids)}).count()
        for work in _work_relations()
    )


def roadmap_learner_count(roadmap_id: int) -> int:
    """How many learners have progress on the roadmap (its current or retired items)."""
    owners: set[tuple] = set()
    for work in _work_relations():
        if not work.owner_fields:
            continue
        rows = work.rows(**{f"{work.topic_field.name}__roadmap_id": roadmap_id})
        owners.update(rows.values_list(*work.owner_fields).distinct())
    return len(owners)


def progress_rows_move(*, source: Topic, target: Topic) -> int:
    """Move learners' rows from `source` to `target` (same roadmap); returns rows moved. A
    learner who already has a row on `target` keeps both: the newer mark on `target` wins on
    the page and the older one stays on `source` (retired, not lost)."""
    moved = 0
    for work in _work_relations():
        name = work.topic_field.name
        rows = work.rows(**{name: source})
        if work.owner_fields:
            taken = work.rows(**{name: target}, **{f: OuterRef(f) for f in work.owner_fields})
            rows = rows.exclude(Exists(taken))
        moved += rows.update(**{name: target})
    return moved


def topic_key_validate(*, topic: Topic, key: str) -> str:
    """The new key, cleaned; raises ValidationError with a message for the editor."""
    key = key.strip()
    validate_topic_key(key)
    if key == topic.key:
        raise ValidationError("This is already the item's key.")
    clash = Topic.objects.filter(roadmap_id=topic.roadmap_id, key=key).exclude(pk=topic.pk)
    if clash.exists():
        other = clash.get()
        state = " (a retired item)" if other.retired_at else ""
        raise ValidationError(
            f"The key {key!r} is already used by '{other.title}'{state} in this roadmap."
        )
    return key


@transaction.atomic
def topic_key_rename(*, topic: Topic, key: str, user: Any = None) -> int:
    """Give `topic` a new permanent key; returns how many learners' progress rows follow it.

    The progress rows point at the item's row, not at its key, so renaming the same row keeps
    every learner's marks; content files name the old key in `renamed_from` for the same effect.
    """
    key = topic_key_validate(topic=topic, key=key)
    try:
        with transaction.atomic():
            Topic.objects.filter(pk=topic.pk).update(key=key)
    except IntegrityError:  # another editor took the key since the check
        raise ValidationError(f"The key {key!r} was just taken in this roadmap.") from None
    topic.key = key
    roadmap_content_changed(roadmaps=[topic.roadmap_id], user=user, message=f"Renamed key to {key}")
    return progress_row_count([topic.pk])


@dataclass
class ItemsHandled:
    moved: int = 0
    retired: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        parts = [
            f"{self.moved} item(s) moved" if self.moved else "",
            f"{self.retired} retired (kept for learners' progress)" if self.retired else "",
            f"{self.deleted} deleted" if self.deleted else "",
        ]
        return ", ".join(part for part in parts if part) or "no items"


def _items_remove(topics: list[Topic], handled: ItemsHandled) -> None:
    """Items with progress are retired (hidden, kept with their progress); others deleted."""
    in_use = topics_in_use([topic.pk for topic in topics])
    if in_use:
        Topic.objects.filter(pk__in=sorted(in_use)).update(retired_at=timezone.now(), section=None)
        handled.retired += len(in_use)
    free = [topic.pk for topic in topics if topic.pk not in in_use]
    if free:
        Topic.objects.filter(pk__in=free).delete()
        handled.deleted += len(free)


def _items_move(topics: list[Topic], target: Section, handled: ItemsHandled) -> None:
    """Append `topics`, in their order, after the target section's items."""
    last = target.topics.active().aggregate(last=models.Max("position"))["last"]
    start = -1 if last is None else last
    for offset, topic in enumerate(topics, start=1):
        topic.section = target
        topic.position = start + offset
    Topic.objects.bulk_update(topics, ["section", "position"])
    handled.moved += len(topics)


def _sections_empty(section_ids: list[int], move_to: Section | None) -> ItemsHandled:
    handled = ItemsHandled()
    topics = list(
        Topic.objects.active()
        .filter(section_id__in=section_ids)
        .order_by("section__phase__position", "section__position", "position", "id")
    )
    if topics and move_to is not None:
        _items_move(topics, move_to, handled)
    elif topics:
        _items_remove(topics, handled)
    return handled


def _check_target(move_to: Section | None, *, roadmap_ids: set[int], leaving: set[int]) -> None:
    if move_to is None:
        return
    if move_to.pk in leaving or {move_to.phase.roadmap_id} != roadmap_ids:
        raise ValidationError(
            "Choose a section of the same roadmap that is not being deleted for the items."
        )


@transaction.atomic
def sections_delete(
    *, sections: Sequence[Section], move_to: Section | None, user: Any = None
) -> ItemsHandled:
    """Delete `sections`; their current items move to the end of `move_to` (a section of the
    same roadmap) or, with `move_to=None`, leave the roadmap (retired when learners have
    progress on them, deleted otherwise). No item is ever left without a section."""
    ids = sorted(section.pk for section in sections)
    rows = Section.objects.filter(pk__in=ids)
    roadmap_ids = set(rows.values_list("phase__roadmap_id", flat=True))
    phase_ids = set(rows.values_list("phase_id", flat=True))
    _check_target(move_to, roadmap_ids=roadmap_ids, leaving=set(ids))
    handled = _sections_empty(ids, move_to)
    rows.delete()
    for phase_id in sorted(phase_ids):
        renumber(Section.objects.filter(phase_id=phase_id).order_by("position", "id"))
    roadmap_content_changed(roadmaps=roadmap_ids, user=user)
    return handled


@transaction.atomic
def phases_delete(
    *, phases: Sequence[Phase], move_to: Section | None, user: Any = None
) -> ItemsHandled:
    """Delete `phases` with their sections; their items are handled as by `sections_delete`."""
    ids = sorted(phase.pk for phase in phases)
    rows = Phase.objects.filter(pk__in=ids)
    roadmap_ids = set(rows.values_list("roadmap_id", flat=True))
    sections = set(Section.objects.filter(phase_id__in=ids).values_list("pk", flat=True))
    _check_target(move_to, roadmap_ids=roadmap_ids, leaving=sections)
    handled = _sections_empty(sorted(sections), move_to)
    rows.delete()
    for roadmap_id in sorted(roadmap_ids):
        renumber(Phase.objects.filter(roadmap_id=roadmap_id).order_by("position", "id"))
    roadmap_content_changed(roadmaps=roadmap_ids, user=user)
    return handled
