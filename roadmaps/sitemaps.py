"""sitemap.xml: the catalog, every published roadmap and every item page with a body, with
absolute URLs built from SITE_URL (not from django.contrib.sites' Site row, which nobody keeps up
to date). Items without a body are left out: their page says no more than the roadmap page, and
thin pages are what search engines learn to skip."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from roadmaps.models import Roadmap, RoadmapQuerySet, Topic
from roadmaps.querysets import TopicQuerySet


class _SiteURLSitemap(Sitemap):
    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: object = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class CatalogSitemap(_SiteURLSitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["roadmaps:catalog"]

    def location(self, item: str) -> str:  # type: ignore[override]
        return reverse(item)


class RoadmapSitemap(_SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> RoadmapQuerySet:
        return Roadmap.objects.published().order_by("slug")

    def lastmod(self, item: Roadmap) -> datetime:
        return item.updated_at


class ItemSitemap(_SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> TopicQuerySet:
        return (
            Topic.objects.active()
            .filter(roadmap__status=Roadmap.Status.PUBLISHED)
            .exclude(body="")
            .select_related("roadmap")
            .only("key", "roadmap__slug", "roadmap__updated_at")
            .order_by("roadmap__slug", "pk")
        )

    def lastmod(self, item: Topic) -> datetime:
        return item.roadmap.updated_at


SITEMAPS = {"catalog": CatalogSitemap, "roadmaps": RoadmapSitemap, "items": ItemSitemap}
