"""Applying validated content to the database, in place and in bulk.

Rows are found again by their level's identity (roadmap slug, phase number, section number in
its phase, item key, resource URL under its owner, FAQ number), so a re-import changes nothing
and learners' progress, which points at item rows, survives every edit. Each level's rows are
loaded with one query and written with bulk inserts and updates, level by level (a parent's
rows exist before its children point at them): a re-import that changes nothing only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from roadmaps.content.fields import (
    CHILD_LEVELS,
    RENAMED_FROM,
    RESOURCE,
    TOPIC,
    Children,
    ContentLevel,
)
from roadmaps.content.validation import ContentItem
from roadmaps.models import Roadmap, Tag, Topic
from roadmaps.services import progress_row_count, progress_rows_move, topics_in_use


@dataclass
class ImportReport:
    slug: str
    created: int = 0
    updated: int = 0
    deleted: int = 0
    retired: int = 0
    renamed: int = 0  # items found again by a key in their `renamed_from`
    progress_moved: int = 0  # learners' progress rows that went with a renamed key
    # URLs of the resources this import created (a changed URL is a new row): checked soon.
    new_urls: list[str] = field(default_factory=list, repr=False)
    # The file is as it was at the roadmap's last import: not even parsed.
    skipped: bool = False
    # Why the file was not applied (the roadmap was edited since its last import), or "".
    refused: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.retired)

    def __str__(self) -> str:
        if self.refused:
            return f"{self.slug}: REFUSED, nothing changed"
        if self.skipped:
            return f"{self.slug}: unchanged (file as last imported)"
        if not self.changed:
            return f"{self.slug}: unchanged"
        text = (
            f"{self.slug}: {self.created} created, {self.updated} updated, "
            f"{self.deleted} deleted, {self.retired} retired"
        )
        if self.renamed:
            text += (
                f", {self.renamed} key(s) renamed with "
                f"{self.progress_moved} learners' progress row(s) moved"
            )
        return text


def _assign(row: models.Model, values: dict[str, Any]) -> list[str]:
    """Set `values` on `row`; returns the names that changed. Foreign keys are compared by id,
    never through the relation, which would load the related row."""
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


class _LevelRows:
    """One level's rows of a roadmap: those already stored, by identity, and the ones this
    import creates or changes, written together by `flush`."""

    def __init__(self, level: ContentLevel, roadmap: Roadmap, report: ImportReport):
        self.level = level
        self.report = report
        self.stored: dict[tuple, models.Model] = {}
        if roadmap.pk:
            rows = level.model._default_manager.filter(**{level.roadmap_lookup: roadmap.pk})
            for row in rows:
                self.stored[tuple(getattr(row, name) for name in level.identity)] = row
        self.new: list[models.Model] = []
        self.changed: list[models.Model] = []
        self.changed_fields: set[str] = set()
        # Items found by an earlier key (renamed), and (earlier row, row) pairs whose
        # progress moves once the rows are written.
        self.renamed: list[models.Model] = []
        self.merges: list[tuple[models.Model, models.Model]] = []

    def _renamed_row(self, identity: tuple, earlier: tuple[str, ...]) -> models.Model | None:
        """The item row for `identity` when the file renamed its key: the stored row under
        the new key if any, else the first earlier key's row. The other earlier rows hand their
        progress to it and are then removed like any row the file no longer has."""
        row = self.stored.pop(identity, None)
        for old in earlier:
            old_row = self.stored.get((old,))
            if old_row is None:
                continue
            if row is None:
                row = self.stored.pop((old,))
                self.renamed.append(row)
            else:
                self.merges.append((old_row, row))
        return row

    def put(self, values: dict[str, Any]) -> models.Model:
        identity = tuple(values.get(name) for name in self.level.identity)
        row = self._renamed_row(identity, values.pop(RENAMED_FROM, ()))
        if row is None:
            row = self.level.model(**values)
            self.new.append(row)
            return row
        changed = _assign(row, values)
        if changed:
            self.changed.append(row)
            self.changed_fields.update(changed)
        return row

    def flush(self) -> None:
        manager = self.level.model._default_manager
        if self.new:
            manager.bulk_create(self.new)
            self.report.created += len(self.new)
            if self.level is RESOURCE:
                self.report.new_urls.extend(row.url for row in self.new)  # type: ignore[attr-defined]
        if self.changed:
            manager.bulk_update(self.changed, sorted(self.changed_fields))
            self.report.updated += len(self.changed)
        self.new, self.changed, self.changed_fields = [], [], set()


def _roadmap_row(item: ContentItem, report: ImportReport) -> Roadmap:
    values = {name: value for name, value in item.values.items() if name != "tags"}
    roadmap = Roadmap.objects.filter(slug=item.slug).first()
    if roadmap is None:
        roadmap = Roadmap(**values)
        report.created += 1
    elif _assign(roadmap, values):
        report.updated += 1
    else:
        if _tags_set(roadmap, item.values.get("tags", ())):
            report.updated += 1
        return roadmap
    roadmap.save()  # one row, and save() stamps published_at on the first publish
    _tags_set(roadmap, item.values.get("tags", ()))
    return roadmap


def _tags_set(roadmap: Roadmap, names: tuple[str, ...]) -> bool:
    """Give `roadmap` the tags named: a tag is found by its name as written (so an export,
    which writes the names editors gave, comes back to the same tags), else by the slug of
    the name; a name neither finds is a new tag. Returns whether the roadmap's tags changed."""
    slugs = {name: slugify(name) for name in names}
    known = list(Tag.objects.filter(Q(name__in=names) | Q(slug__in=slugs.values())))
    by_name = {tag.name: tag for tag in known}
    by_slug = {tag.slug: tag for tag in known}
    new = [
        Tag(slug=slug, name=name)
        for name, slug in slugs.items()
        if name not in by_name and slug not in by_slug
    ]
    if new:
        Tag.objects.bulk_create(new, ignore_conflicts=True)
        by_slug |= {tag.slug: tag for tag in Tag.objects.filter(slug__in=[t.slug for t in new])}
    wanted = {(by_name.get(name) or by_slug[slug]).pk for name, slug in slugs.items()}
    if wanted == set(roadmap.tags.values_list("pk", flat=True)):
        return False
    roadmap.tags.set(sorted(wanted))
    return True


def _child_values(
    item: ContentItem, position: int, parent: models.Model, child: Children, roadmap: Roadmap
) -> dict[str, Any]:
    values = {**item.values, "position": position, **dict(child.level.live)}
    values.update(dict.fromkeys(child.unlinked))
    if child.level.roadmap_lookup == "roadmap":
        values["roadmap_id"] = roadmap.pk
    values[child.link] = parent.pk
    return values


def _apply_tree(roadmap: Roadmap, item: ContentItem, levels: dict[str, _LevelRows]) -> None:
    """Write the file's rows depth by depth: every row of one depth, then their children."""
    depth: list[tuple[ContentItem, models.Model]] = [(item, roadmap)]
    while depth:
        below: list[tuple[ContentItem, models.Model]] = []
        for parent_item, parent_row in depth:
            for child in parent_item.level.children:
                rows = levels[child.level.name]
                for position, child_item in enumerate(parent_item.children[child.key]):
                    values = _child_values(child_item, position, parent_row, child, roadmap)
                    below.append((child_item, rows.put(values)))
        for rows in levels.values():
            rows.flush()
        depth = below


def _renames_finish(rows: _LevelRows, report: ImportReport) -> None:
    """Count the progress that went with renamed keys (the rows kept their learners' marks)
    and move the marks of earlier rows onto the row that now has the key."""
    if rows.renamed:
        report.renamed += len(rows.renamed)
        report.progress_moved += progress_row_count([row.pk for row in rows.renamed])
    for old_row, row in rows.merges:
        report.renamed += 1
        report.progress_moved += progress_rows_move(source=old_row, target=row)  # type: ignore[arg-type]


def _retire_items_in_use(topics: list[Any], report: ImportReport) -> list[models.Model]:
    """Retire the items learners have progress on; returns the others, free to delete."""
    gone: list[Topic] = [topic for topic in topics if topic.retired_at is None]
    in_use = topics_in_use([topic.pk for topic in gone])
    if in_use:
        Topic.objects.filter(pk__in=in_use).update(retired_at=timezone.now(), section=None)
        report.retired += len(in_use)
    return [topic for topic in gone if topic.pk not in in_use]


def _remove_leftovers(levels: dict[str, _LevelRows], report: ImportReport) -> None:
    """Rows the file no longer has: items with progress are retired, everything else deleted,
    children before their parents."""
    for level in CHILD_LEVELS:
        leftovers = list(levels[level.name].stored.values())
        if level is TOPIC:
            leftovers = _retire_items_in_use(leftovers, report)
        if leftovers:
            level.model._default_manager.filter(pk__in=[row.pk for row in leftovers]).delete()
            report.deleted += len(leftovers)


def roadmap_apply(item: ContentItem) -> tuple[ImportReport, Roadmap]:
    """Apply one validated roadmap inside the caller's transaction."""
    report = ImportReport(slug=item.slug)
    roadmap = _roadmap_row(item, report)
    levels = {level.name: _LevelRows(level, roadmap, report) for level in CHILD_LEVELS}
    _apply_tree(roadmap, item, levels)
    _renames_finish(levels[TOPIC.name], report)
    _remove_leftovers(levels, report)
    return report, roadmap
