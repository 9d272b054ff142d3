"""The content file's shape: one table per level (roadmap, phase, section, item, resource, FAQ).

Each table lists a level's fields as the file writes them, the model field each one fills, and
its child lists. Reading, validation, applying and export all walk these tables, so adding a
field to the format is one line here (plus its model field), not four edits in four stages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from roadmaps.choices import Accent, Level
from roadmaps.models import FAQ, Phase, Resource, Roadmap, Section, Topic

FORMAT_VERSION = 1

# The phase fields a duration (`months` or `duration` in the file) fills.
DURATION_ATTRS = ("duration_min", "duration_max", "duration_unit", "duration_label")

# The item's earlier keys, carried in a ContentItem's values under this name (no model field).
RENAMED_FROM = "renamed_from"


@dataclass(frozen=True)
class FileField:
    """One field of a level, as written in the file.

    `kind` says how it is read and written: text (checked against the model field), markdown
    (text filling its field and the field `<key>_html` with its sanitized HTML), choice,
    flag (true/false), url (http/https only), months (a whole-month range like 1-2, the
    short form of a phase's duration), duration (a range in months, weeks or days and its
    label: "1-1.5 months" or {min, max, unit, label}; both fill the duration_* fields), tags
    (a roadmap's tag names, found again by slug; applied apart from the row's fields), format
    (the file format number, no model field) or renames (an item's earlier keys, read by the
    apply stage to find its row again; never stored or exported).
    A missing field takes `default`; export leaves a field out when it holds its default,
    unless `always` is set.
    `unique` is "siblings" (once per list, e.g. a URL under one owner) or "roadmap" (once per
    file, e.g. an item's key).
    """

    key: str
    kind: str = "text"
    attr: str = ""
    required: bool = False
    default: Any = ""
    always: bool = False
    choices: tuple[str, ...] = ()
    unique: str = ""

    @property
    def attrs(self) -> tuple[str, ...]:
        if self.kind in ("months", "duration"):
            return DURATION_ATTRS
        if self.kind == "format":
            return ()
        if self.kind == "renames":
            return (RENAMED_FROM,)
        if self.kind == "markdown":
            return (self.attr or self.key, f"{self.attr or self.key}_html")
        return (self.attr or self.key,)


@dataclass(frozen=True)
class Children:
    """A list of child rows under a level, e.g. a phase's `sections`.

    `link` is the child's foreign key to this parent; `unlinked` are the child's other owner
    keys, empty for this list (a roadmap-wide resource has neither phase nor item).
    """

    key: str
    level: ContentLevel
    link: str
    unlinked: tuple[str, ...] = ()
    always: bool = False  # exported even when empty


@dataclass(frozen=True)
class ContentLevel:
    """One level of the tree. `identity` names the model fields that find a row of this level
    again on re-import (so rewording or reordering keeps the row); `roadmap_lookup` finds all
    rows of a roadmap. `live` are the values of a row on the roadmap: only those are exported,
    and a row the file names again gets them back (a retired item returns)."""

    name: str
    model: type[models.Model]
    fields: tuple[FileField, ...]
    children: tuple[Children, ...] = ()
    identity: tuple[str, ...] = ()
    roadmap_lookup: str = "roadmap"
    live: tuple[tuple[str, Any], ...] = ()

    @property
    def keys(self) -> list[str]:
        return [spec.key for spec in self.fields] + [child.key for child in self.children]

    def model_field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)  # type: ignore[return-value]


RESOURCE = ContentLevel(
    "resource",
    Resource,
    (
        FileField("kind", "choice", required=True, choices=tuple(Resource.Kind.values)),
        FileField("title", required=True),
        FileField("url", "url", required=True, unique="siblings"),
        FileField("language", default="en"),
        FileField("free", "flag", attr="is_free", default=True),
        FileField("author"),
        FileField("description"),
    ),
    identity=("phase_id", "topic_id", "url"),
)

TOPIC = ContentLevel(
    "topic",
    Topic,
    (
        FileField("key", required=True, unique="roadmap"),
        FileField("title", required=True),
        FileField("summary"),
        FileField(
            "kind", "choice", default=Topic.Kind.TOPIC.value, choices=tuple(Topic.Kind.values)
        ),
        FileField("body", "markdown"),
        FileField(RENAMED_FROM, "renames", default=()),
    ),
    (Children("resources", RESOURCE, link="topic_id", unlinked=("phase_id",)),),
    identity=("key",),
    live=(("retired_at", None),),
)

SECTION = ContentLevel(
    "section",
    Section,
    (
        FileField("title", required=True, always=True),
        FileField("goal"),
        FileField("practice"),
        FileField("outcome"),
        FileField("tip"),
    ),
    (Children("topics", TOPIC, link="section_id", always=True),),
    identity=("phase_id", "position"),
    roadmap_lookup="phase__roadmap",
)

PHASE = ContentLevel(
    "phase",
    Phase,
    (
        FileField("title", required=True),
        FileField("level", "choice", choices=("", *Level.values)),
        FileField("label", attr="level_label"),
        # A phase's time is written once: `months` for a whole-month range without a label
        # (the short form, as format 1 always wrote it), `duration` for everything else.
        FileField("months", "months", default=None),
        FileField("duration", "duration", default=None),
        FileField("summary"),
        FileField("accent", "choice", choices=("", *Accent.values)),
    ),
    (
        Children("resources", RESOURCE, link="phase_id", unlinked=("topic_id",)),
        Children("sections", SECTION, link="phase_id"),
    ),
    identity=("position",),
)

FAQ_LEVEL = ContentLevel(
    "faq",
    FAQ,
    (
        FileField("question", required=True),
        FileField("answer", required=True),
        FileField("category"),
    ),
    identity=("position",),
)

ROADMAP = ContentLevel(
    "roadmap",
    Roadmap,
    (
        FileField("format", "format", default=FORMAT_VERSION, always=True),
        FileField("slug", required=True),
        FileField("title", required=True),
        FileField("edition"),
        FileField(
            "status",
            "choice",
            default=Roadmap.Status.DRAFT.value,
            always=True,
            choices=tuple(Roadmap.Status.values),
        ),
        FileField("category"),
        FileField("featured", "flag", default=False),
        FileField("trending", "flag", default=False),
        FileField("tags", "tags", default=[]),
        FileField("summary"),
        FileField("description"),
        FileField("completion_message"),
    ),
    (
        Children("resources", RESOURCE, link="roadmap_id", unlinked=("phase_id", "topic_id")),
        Children("phases", PHASE, link="roadmap_id"),
        Children("faqs", FAQ_LEVEL, link="roadmap_id"),
    ),
    identity=("slug",),
    roadmap_lookup="pk",
)

# Every level below the roadmap, children before parents: the order leftovers are removed in.
CHILD_LEVELS = (RESOURCE, TOPIC, SECTION, PHASE, FAQ_LEVEL)
