"""What search looks through: the five searchable tables, their weighted fields, who may see
which rows, and how a matched row becomes a hit on the page (`roadmaps.search` runs the query).

Each `SearchTarget` names the table's text fields with their full-text weights (A best; on
PostgreSQL the same fields and weights make the stored `search_document` column of migration
0009: change one, add a migration that changes the other), the
field that typo-tolerant matching compares (its title), the path to the roadmap a row belongs to,
and the `select_related` a page of its hits needs to say where each hit is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet

from roadmaps.models import Phase, Resource, Roadmap, Section, Topic
from roadmaps.tree import phase_anchor, section_anchor, topic_anchor


@dataclass(frozen=True)
class SearchHit:
    """One match. `kind` is roadmap, phase, section, topic, project, goal or resource; `url`
    jumps to the matched place on the roadmap page; `context` says where it is
    ("Phase 4: Authentication & Authorization"); `snippet` is plain text."""

    kind: str
    title: str
    snippet: str
    url: str
    context: str
    rank: float
    order: tuple[int, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class SearchTarget:
    model: type[models.Model]
    fields: tuple[tuple[str, str], ...]  # (field, weight)
    rows: Callable[[Any], QuerySet]  # user -> queryset of the rows `user` may find
    roadmap_field: str  # the roadmap's id, as a path from a row
    related: tuple[str, ...]  # select_related for building hits
    # Between equally ranked hits, what the learner studies comes before where to read about it.
    priority: int
    hit: Callable[[Any, float], SearchHit]
    roadmap: Callable[[Any], Roadmap]
    title_field: str = "title"


def visible_roadmaps(user: object) -> QuerySet[Roadmap]:
    return Roadmap.objects.visible_to(user)


def _roadmap_hit(roadmap: Roadmap, rank: float) -> SearchHit:
    return SearchHit(
        kind="roadmap",
        title=roadmap.display_title,
        snippet=roadmap.summary,
        url=roadmap.get_absolute_url(),
        context=roadmap.category,
        rank=rank,
        order=(-1,),
    )


def _phase_context(phase: Phase) -> str:
    return f"Phase {phase.position}: {phase.title}"


def _phase_hit(phase: Phase, rank: float) -> SearchHit:
    return SearchHit(
        kind="phase",
        title=_phase_context(phase),
        snippet=phase.summary,
        url=f"{phase.roadmap.get_absolute_url()}#{phase_anchor(phase.position)}",
        context=" ".join(filter(None, [phase.label, phase.timeline_text])),
        rank=rank,
        order=(phase.position,),
    )


def _section_hit(section: Section, rank: float) -> SearchHit:
    phase = section.phase
    return SearchHit(
        kind="section",
        title=section.title,
        snippet="",
        url=phase.roadmap.get_absolute_url()
        + "#"
        + section_anchor(phase.position, section.position),
        context=_phase_context(phase),
        rank=rank,
        order=(phase.position, section.position),
    )


def _topic_hit(topic: Topic, rank: float) -> SearchHit:
    section = topic.section
    assert section is not None  # only items inside a section are searched
    return SearchHit(
        kind=topic.kind,
        title=topic.title,
        snippet=topic.summary,
        url=f"{topic.roadmap.get_absolute_url()}#{topic_anchor(topic.key)}",
        context=f"{_phase_context(section.phase)} · {section.title}",
        rank=rank,
        order=(section.phase.position, section.position, topic.position),
    )


def _resource_hit(resource: Resource, rank: float) -> SearchHit:
    base = resource.roadmap.get_absolute_url()
    if resource.topic is not None and resource.topic.section is not None:
        section = resource.topic.section
        url = f"{base}#{topic_anchor(resource.topic.key)}"
        context = f"{_phase_context(section.phase)} · {resource.topic.title}"
        order: tuple[int, ...] = (section.phase.position, section.position, resource.topic.position)
    elif resource.phase is not None:
        url = f"{base}#{phase_anchor(resource.phase.position)}"
        context = _phase_context(resource.phase)
        order = (resource.phase.position,)
    else:
        url = f"{base}#resources"
        context = "Roadmap resources"
        order = (-1,)
    details = [resource.get_kind_display(), resource.language_name]
    if resource.author:
        details.append(resource.author)
    details.append("Free" if resource.is_free else "Paid")
    return SearchHit(
        kind="resource",
        title=resource.title,
        snippet=" · ".join(details),
        url=url,
        context=context,
        rank=rank,
        order=order,
    )


TARGETS: tuple[SearchTarget, ...] = (
    SearchTarget(
        model=Roadmap,
        fields=(("title", "A"), ("summary", "B"), ("category", "C"), ("description", "D")),
        rows=visible_roadmaps,
        roadmap_field="pk",
        related=(),
        priority=2,
        hit=_roadmap_hit,
        roadmap=lambda roadmap: roadmap,
    ),
    SearchTarget(
        model=Phase,
        fields=(("title", "A"), ("summary", "B"), ("level_label", "C")),
        rows=lambda user: Phase.objects.filter(roadmap__in=visible_roadmaps(user)),
        roadmap_field="roadmap_id",
        related=("roadmap",),
        priority=1,
        hit=_phase_hit,
        roadmap=lambda phase: phase.roadmap,
    ),
    SearchTarget(
        model=Section,
        fields=(("title", "A"),),
        rows=lambda user: Section.objects.filter(phase__roadmap__in=visible_roadmaps(user)),
        roadmap_field="phase__roadmap_id",
        related=("phase__roadmap",),
        priority=0,
        hit=_section_hit,
        roadmap=lambda section: section.phase.roadmap,
    ),
    SearchTarget(
        model=Topic,
        fields=(("title", "A"), ("summary", "B")),
        rows=lambda user: Topic.objects.active().filter(
            roadmap__in=visible_roadmaps(user), section__isnull=False
        ),
        roadmap_field="roadmap_id",
        related=("roadmap", "section__phase"),
        priority=0,
        hit=_topic_hit,
        roadmap=lambda topic: topic.roadmap,
    ),
    SearchTarget(
        model=Resource,
        fields=(("title", "A"), ("author", "C")),
        rows=lambda user: (
            Resource.objects.visible_to(user)
            .filter(roadmap__in=visible_roadmaps(user))
            .exclude(topic__retired_at__isnull=False)
        ),
        roadmap_field="roadmap_id",
        related=("roadmap", "phase", "topic__section__phase"),
        priority=3,
        hit=_resource_hit,
        roadmap=lambda resource: resource.roadmap,
    ),
)
