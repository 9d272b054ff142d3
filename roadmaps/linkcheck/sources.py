"""Where the link checker finds URLs: the models whose rows link somewhere.

Resources are the first source. Other apps that depend on `roadmaps` (the course catalog) add
theirs with `url_source_register` in their AppConfig.ready, so the link checker checks, hides
and counts their URLs too without `roadmaps` ever importing them. Models are named by label and
reached through the app registry; this module imports no models, so the link checker's models
and services can both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse


@dataclass(frozen=True)
class UrlSource:
    """A model whose rows link to a URL. `roadmap_path` is the lookup from a row to the
    roadmap(s) it belongs to: "roadmap" for a foreign key, "roadmaps" for a many-to-many."""

    model_label: str
    url_field: str = "url"
    roadmap_path: str = "roadmap"
    place: str = ""  # where editors find these rows, e.g. "Course catalog"

    def rows(self) -> QuerySet[Any]:
        return apps.get_model(self.model_label)._default_manager.all()

    def with_url(self, url: object) -> QuerySet[Any]:
        return self.rows().filter(**{self.url_field: url})


URL_SOURCES: list[UrlSource] = [UrlSource("roadmaps.Resource")]


def url_source_register(source: UrlSource) -> None:
    """Add `source` (once; registering it again changes nothing)."""
    if source not in URL_SOURCES:
        URL_SOURCES.append(source)


def urls_in_use() -> set[str]:
    """Every URL some source links to."""
    urls: set[str] = set()
    for source in URL_SOURCES:
        urls.update(source.rows().values_list(source.url_field, flat=True).distinct())
    return urls


def url_used(outer_url: str = "url") -> Q:
    """Rows whose `outer_url` field some source links to (a filter for LinkStatus rows)."""
    condition = Q()
    for source in URL_SOURCES:
        condition |= Q(Exists(source.with_url(OuterRef(outer_url))))
    return condition


def url_used_by_roadmap(roadmap: object, outer_url: str = "url") -> Q:
    """Rows whose `outer_url` field a source of `roadmap` (a Roadmap or its id) links to."""
    condition = Q()
    for source in URL_SOURCES:
        rows = source.with_url(OuterRef(outer_url)).filter(**{source.roadmap_path: roadmap})
        condition |= Q(Exists(rows))
    return condition


def roadmaps_using(urls: list[str]) -> Q:
    """A filter for Roadmap rows: the roadmaps that rows linking to `urls` belong to (one
    subquery per source, so touching them stays one UPDATE)."""
    condition = Q(pk__in=[])
    for source in URL_SOURCES:
        rows = source.rows().filter(**{f"{source.url_field}__in": urls})
        condition |= Q(pk__in=rows.values(source.roadmap_path))
    return condition


@dataclass(frozen=True)
class UrlUse:
    """A row of a source other than resources that links to `url`, as editors are shown it
    (resources are listed with their roadmap by the link-health admin and the digest)."""

    url: str
    title: str
    place: str
    edit_path: str


def url_uses_beyond_resources(urls: list[str]) -> list[UrlUse]:
    uses = []
    for source in URL_SOURCES:
        if source.model_label == "roadmaps.Resource":
            continue
        rows = source.rows().filter(**{f"{source.url_field}__in": urls}).order_by("pk")
        for row in rows:
            meta = row._meta
            uses.append(
                UrlUse(
                    url=getattr(row, source.url_field),
                    title=str(row),
                    place=source.place or str(meta.verbose_name_plural).capitalize(),
                    edit_path=reverse(
                        f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]
                    ),
                )
            )
    return uses
