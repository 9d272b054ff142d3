"""Search across roadmap titles, phases, sections, items and resources, grouped by roadmap.

`roadmap_search(query=..., user=...)` is the one entry point: the /search/ page and the API's
`GET /api/v1/search` both call it. On PostgreSQL it uses weighted full-text search ranked with
ts_rank; the documents are expressions over each table, matched by GIN expression indexes that
migration 0004 creates only on PostgreSQL (the expressions below and the index definitions must
stay identical, or PostgreSQL silently stops using the index). On SQLite, the embedded default,
every word must appear in one of the same fields (case-insensitive) and hits are ranked in Python
with the same field weights. Roadmaps whose title holds every word are listed first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import add, or_
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Q, QuerySet

from common.search_terms import search_terms
from roadmaps.models import Phase, Resource, Roadmap, Section, Topic
from roadmaps.tree import phase_anchor, section_anchor, topic_anchor

SEARCH_CONFIG = "english"
HITS_PER_KIND = 50
# ts_rank's default weights for D, C, B, A; the SQLite fallback scores a field match the same way.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# Between equally ranked hits, what the learner studies comes before where to read about it.
KIND_PRIORITY = {"phase": 1, "roadmap": 2, "resource": 3}


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


@dataclass
class SearchGroup:
    roadmap: Roadmap
    hits: list[SearchHit]

    @property
    def rank(self) -> float:
        return max((hit.rank for hit in self.hits), default=0.0)


# --- What is searched ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    model: type[models.Model]
    fields: tuple[tuple[str, str], ...]  # (field, weight)
    rows: Callable[[Any], QuerySet]  # user -> queryset of searchable rows
    hit: Callable[[Any, float], SearchHit]
    roadmap: Callable[[Any], Roadmap]


def _visible_roadmaps(user: object) -> QuerySet[Roadmap]:
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


TARGETS: tuple[_Target, ...] = (
    _Target(
        model=Roadmap,
        fields=(("title", "A"), ("summary", "B"), ("category", "C"), ("description", "D")),
        rows=_visible_roadmaps,
        hit=_roadmap_hit,
        roadmap=lambda roadmap: roadmap,
    ),
    _Target(
        model=Phase,
        fields=(("title", "A"), ("summary", "B"), ("level_label", "C")),
        rows=lambda user: Phase.objects.filter(roadmap__in=_visible_roadmaps(user)).select_related(
            "roadmap"
        ),
        hit=_phase_hit,
        roadmap=lambda phase: phase.roadmap,
    ),
    _Target(
        model=Section,
        fields=(("title", "A"),),
        rows=lambda user: Section.objects.filter(
            phase__roadmap__in=_visible_roadmaps(user)
        ).select_related("phase__roadmap"),
        hit=_section_hit,
        roadmap=lambda section: section.phase.roadmap,
    ),
    _Target(
        model=Topic,
        fields=(("title", "A"), ("summary", "B")),
        rows=lambda user: (
            Topic.objects.active()
            .filter(roadmap__in=_visible_roadmaps(user), section__isnull=False)
            .select_related("roadmap", "section__phase")
        ),
        hit=_topic_hit,
        roadmap=lambda topic: topic.roadmap,
    ),
    _Target(
        model=Resource,
        fields=(("title", "A"), ("author", "C")),
        rows=lambda user: (
            Resource.objects.visible_to(user)
            .filter(roadmap__in=_visible_roadmaps(user))
            .exclude(topic__retired_at__isnull=False)
            .select_related("roadmap", "phase", "topic__section__phase")
        ),
        hit=_resource_hit,
        roadmap=lambda resource: resource.roadmap,
    ),
)


# --- PostgreSQL ---------------------------------------------------------------------------------


def search_document(fields: Iterable[tuple[str, str]]) -> SearchVector:
    """The weighted tsvector of a table, exactly as migration 0004 indexes it."""
    vectors = [
        SearchVector(name, weight=weight, config=SEARCH_CONFIG)  # type: ignore[arg-type]
        for name, weight in fields
    ]
    return reduce(add, vectors)


def _tsquery(terms: list[str]) -> SearchQuery:
    # Every word must match; the last one also as a prefix, so "blue" finds "Blueprints" while
    # the learner is still typing. Terms are letters and digits only, so they cannot inject
    # tsquery operators.
    raw = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)


def _postgres_matches(target: _Target, terms: list[str], user: object) -> list[tuple[Any, float]]:
    document = search_document(target.fields)
    query = _tsquery(terms)
    rows = (
        target.rows(user)
        .annotate(search_document=document)
        .filter(search_document=query)
        .annotate(search_rank=SearchRank(document, query))
        .order_by("-search_rank", "pk")[:HITS_PER_KIND]
    )
    return [(row, float(row.search_rank)) for row in rows]


# --- SQLite (and any other database) ------------------------------------------------------------


def _fallback_matches(target: _Target, terms: list[str], user: object) -> list[tuple[Any, float]]:
    names = [name for name, _weight in target.fields]
    condition = Q()
    for term in terms:
        condition &= reduce(or_, (Q(**{f"{name}__icontains": term}) for name in names))
    scored: list[tuple[Any, float]] = []
    for row in target.rows(user).filter(condition):
        rank = 0.0
        for term in terms:
            rank += max(
                (WEIGHTS[weight] for name, weight in target.fields if term in _text(row, name)),
                default=0.0,
            )
        scored.append((row, rank / len(terms)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:HITS_PER_KIND]


def _text(row: models.Model, name: str) -> str:
    return str(getattr(row, name) or "").lower()


# --- Entry point --------------------------------------------------------------------------------


def roadmap_search(*, query: str, user: object) -> list[SearchGroup]:
    """Everything matching `query` that `user` may see, grouped by roadmap, best group first;
    inside a group, best hit first, then items before phases, roadmaps and resources, then
    page order. Empty for a query without words.
    Costs one query per searched table (five), whatever the number of hits."""
    terms = search_terms(query)
    if not terms:
        return []
    find = _postgres_matches if connection.vendor == "postgresql" else _fallback_matches
    groups: dict[int, SearchGroup] = {}
    for target in TARGETS:
        for row, rank in find(target, terms, user):
            roadmap = target.roadmap(row)
            group = groups.setdefault(roadmap.pk, SearchGroup(roadmap=roadmap, hits=[]))
            group.hits.append(target.hit(row, rank))
    for group in groups.values():
        group.hits.sort(key=lambda hit: (-hit.rank, KIND_PRIORITY.get(hit.kind, 0), hit.order))
    # A roadmap whose title has every word comes first ("python" finds the Python roadmap
    # before roadmaps that merely mention Python in many items), then by rank.
    return sorted(
        groups.values(),
        key=lambda group: (
            not _title_has_every(group.roadmap, terms),
            -group.rank,
            group.roadmap.title,
        ),
    )


def _title_has_every(roadmap: Roadmap, terms: list[str]) -> bool:
    title = roadmap.title.lower()
    return all(term.lower() in title for term in terms)
