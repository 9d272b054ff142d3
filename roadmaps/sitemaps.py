"""sitemap.xml: the catalog and every published roadmap, with absolute URLs built from SITE_URL
(not from django.contrib.sites' Site row, which nobody keeps up to date)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from roadmaps.models import Roadmap, RoadmapQuerySet


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


SITEMAPS = {"catalog": CatalogSitemap, "roadmaps": RoadmapSitemap}
