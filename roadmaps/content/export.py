"""Writing a roadmap as its content file, in the canonical form: export -> import -> export is
byte-identical, and `content/flask.yaml` is its own export."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import models

from roadmaps.content.fields import CHILD_LEVELS, FORMAT_VERSION, ROADMAP, ContentLevel, FileField
from roadmaps.content_text import document_text
from roadmaps.durations import Duration, DurationUnit, number_text, range_text
from roadmaps.models import Roadmap


def tag_names_in_order(tags: Iterable[Any]) -> list[str]:
    """Tag names in the file's order: by name ignoring case, the same on every database."""
    return [tag.name for tag in sorted(tags, key=lambda tag: (tag.name.casefold(), tag.slug))]


def _short_form(duration: Duration) -> bool:
    """A whole-month range without a label is written `months: 1-2` (format 1's only form)."""
    return (
        duration.has_range
        and duration.unit == DurationUnit.MONTHS
        and not duration.label
        and all(number == number.to_integral() for number in (duration.low, duration.high))  # type: ignore[union-attr]
    )


def _months(row: models.Model) -> str | None:
    duration: Duration = row.duration  # type: ignore[attr-defined]
    if not _short_form(duration):
        return None
    return f"{number_text(duration.low)}-{number_text(duration.high)}"  # type: ignore[arg-type]


def _yaml_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


def _duration(row: models.Model) -> str | dict[str, Any] | None:
    duration: Duration = row.duration  # type: ignore[attr-defined]
    if _short_form(duration) or not (duration.has_range or duration.label):
        return None
    if not duration.label:
        return range_text(duration)
    out: dict[str, Any] = {}
    if duration.low is not None and duration.high is not None:
        out["min"] = _yaml_number(duration.low)
        if duration.high != duration.low:
            out["max"] = _yaml_number(duration.high)
        out["unit"] = duration.unit
    out["label"] = duration.label
    return out


FIELD_WRITERS: dict[str, Callable[[FileField, models.Model], Any]] = {
    "text": lambda spec, row: str(getattr(row, spec.attrs[0])),
    "markdown": lambda spec, row: str(getattr(row, spec.attrs[0])),
    "choice": lambda spec, row: str(getattr(row, spec.attrs[0])),
    "url": lambda spec, row: str(getattr(row, spec.attrs[0])),
    "flag": lambda spec, row: bool(getattr(row, spec.attrs[0])),
    "months": lambda spec, row: _months(row),
    "duration": lambda spec, row: _duration(row),
    "tags": lambda spec, row: tag_names_in_order(row.tags.all()),  # type: ignore[attr-defined]
    "format": lambda spec, row: FORMAT_VERSION,
}


class _Tree:
    """Every live row of one roadmap, loaded once per level, grouped under its parent."""

    def __init__(self, roadmap: Roadmap):
        self.children: dict[tuple[str, str, int], list[models.Model]] = {}
        for level in CHILD_LEVELS:
            rows = level.model._default_manager.filter(
                **{level.roadmap_lookup: roadmap.pk}, **dict(level.live)
            ).order_by("position", "id")
            for row in rows:
                for link in ("topic_id", "phase_id", "section_id", "roadmap_id"):
                    # A row hangs under its closest owner (a resource of an item is not also
                    # a resource of the roadmap).
                    if getattr(row, link, None) is not None:
                        self.children.setdefault((level.name, link, getattr(row, link)), [])
                        self.children[(level.name, link, getattr(row, link))].append(row)
                        break

    def rows(self, level: ContentLevel, link: str, parent: models.Model) -> list[models.Model]:
        return self.children.get((level.name, link, parent.pk), [])


def _item_out(level: ContentLevel, row: models.Model, tree: _Tree) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in level.fields:
        if spec.kind == "renames":
            continue  # the database holds only the current key
        value = FIELD_WRITERS[spec.kind](spec, row)
        if spec.always or value != spec.default:
            out[spec.key] = value
    for child in level.children:
        rows = tree.rows(child.level, child.link, row)
        if rows or child.always:
            out[child.key] = [_item_out(child.level, child_row, tree) for child_row in rows]
    return out


def roadmap_document(roadmap: Roadmap) -> dict[str, Any]:
    """The roadmap as a content document (the dict its file holds), in the file's key order."""
    return _item_out(ROADMAP, roadmap, _Tree(roadmap))


def roadmap_export(roadmap: Roadmap) -> str:
    return document_text(roadmap_document(roadmap))
