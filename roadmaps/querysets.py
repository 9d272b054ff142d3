"""Read rules of the roadmaps app, as QuerySet methods: what the catalog lists, what a learner
may see, which figures a card shows.

The models use these classes as their managers. Other models are reached through the app
registry (`_model`), so this module and `roadmaps.models` never import each other.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from common.languages import language_name
from common.search_terms import search_terms
from roadmaps.choices import Level
from roadmaps.durations import MONTHS_PER_UNIT
from roadmaps.linkcheck.models import LinkStatus

# Roadmaps a catalog page lists, on the site and (by default) in the API, so page N is the same
# roadmaps in both.
CATALOG_PAGE_SIZE = 24


# The querysets are typed over Any: naming the models here, even for the type checker only,
# would make this module and roadmaps.models import each other.
def _model(name: str) -> Any:
    return apps.get_model("roadmaps", name)


class RoadmapQuerySet(models.QuerySet[Any]):
    def published(self) -> RoadmapQuerySet:
        return self.filter(status=self.model.Status.PUBLISHED)

    def visible_to(self, user: object) -> RoadmapQuerySet:
        """Published roadmaps for everyone; drafts and archived ones too for editors."""
        if getattr(user, "is_staff", False):
            return self.all()
        return self.published()

    def bump_content_version(self) -> int:
        """Record that these roadmaps' content changed: one UPDATE that moves `content_version`
        on by one and `updated_at` to now. Writers call it through `roadmaps.changes`
        (`roadmap_content_changed`, or `roadmap_pages_changed` for what a page shows besides
        its content file), once per transaction; only the link checker, which must not queue
        link checks, calls it directly."""
        return self.update(content_version=F("content_version") + 1, updated_at=timezone.now())

    def catalog(
        self,
        *,
        category: str = "",
        level: str = "",
        query: str = "",
        tag: str = "",
        ordering: str = "title",
    ) -> RoadmapQuerySet:
        """Published roadmaps as the catalog lists them, on the site and in the API alike.

        `category` matches case-insensitively; `level` keeps roadmaps with a phase at that level;
        `tag` (a tag's slug) keeps roadmaps with that tag;
        every word of `query` (see `search_terms`) must appear in the title, summary, category or
        description, and a query without any word finds nothing. Sorted by `ordering`, then slug.
        """
        roadmaps = self.published()
        if category.strip():
            roadmaps = roadmaps.filter(category__iexact=category.strip())
        if level:
            roadmaps = roadmaps.filter(
                Exists(_model("Phase").objects.filter(roadmap=OuterRef("pk"), level=level))
            )
        if tag:
            tagged = self.model.tags.through.objects.filter(
                roadmap_id=OuterRef("pk"), tag__slug=tag
            )
            roadmaps = roadmaps.filter(Exists(tagged))
        if query.strip() and not search_terms(query):
            return roadmaps.none()
        for term in search_terms(query):
            roadmaps = roadmaps.filter(
                Q(title__icontains=term)
                | Q(summary__icontains=term)
                | Q(category__icontains=term)
                | Q(description__icontains=term)
            )
        return roadmaps.order_by(ordering, "slug")

    def with_level_and_duration(self) -> RoadmapQuerySet:
        """Annotate what `Roadmap.level_range` and `Roadmap.duration_months` read: the lowest
        and highest level of the phases (ranks in Level; phases without a level do not count)
        and the latest point any phase ends, in months.
        The one place these figures are computed; the catalog, the roadmap page and the API all
        load them with the roadmap row, as correlated subqueries."""
        level_rank = Case(
            *(When(level=value, then=Value(rank)) for rank, value in enumerate(Level.values)),
            output_field=models.IntegerField(),
        )
        return self.annotate(
            level_min_rank=_phase_stat(Min(level_rank)),
            level_max_rank=_phase_stat(Max(level_rank)),
            phase_months_max=_phase_stat(Max(_months_of("duration_max"))),
        )

    def with_catalog_stats(self) -> RoadmapQuerySet:
        """Annotate what a catalog card shows: phase_count, topic_count and the level range and
        duration (`with_level_and_duration`). Each figure is its own correlated subquery, so a
        big roadmap does not multiply join rows the way several Count() joins would."""
        topics = (
            _model("Topic")
            .objects.active()
            .filter(roadmap=OuterRef("pk"))
            .order_by()
            .values("roadmap")
            .annotate(value=Count("pk"))
            .values("value")[:1]
        )
        return self.with_level_and_duration().annotate(
            phase_count=Coalesce(_phase_stat(Count("pk")), 0),
            topic_count=Coalesce(Subquery(topics), 0),
        )


def _months_of(field: str) -> Case:
    """A phase's `field` (duration_min or duration_max) in months: weeks and days converted
    with the factors of `roadmaps.durations`, so the total of a card is right for any unit."""
    return Case(
        *(
            When(duration_unit=unit, then=F(field) * Value(factor))
            for unit, factor in MONTHS_PER_UNIT.items()
        ),
        output_field=models.DecimalField(max_digits=12, decimal_places=6),
    )


def _phase_stat(aggregate: models.Aggregate) -> Subquery:
    """`aggregate` over the phases of the outer roadmap row."""
    rows = _model("Phase").objects.filter(roadmap=OuterRef("pk")).order_by().values("roadmap")
    return Subquery(rows.annotate(value=aggregate).values("value")[:1])


class TopicQuerySet(models.QuerySet[Any]):
    def active(self) -> TopicQuerySet:
        return self.filter(retired_at__isnull=True)

    def retired(self) -> TopicQuerySet:
        return self.filter(retired_at__isnull=False)

    def for_roadmap(self, roadmap: models.Model | int) -> TopicQuerySet:
        return self.filter(roadmap=roadmap)


class ResourceQuerySet(models.QuerySet[Any]):
    def for_language(self, code: str) -> ResourceQuerySet:
        return self.filter(language=code)

    def in_reading_order(self, *, preferred_language: str = "") -> ResourceQuerySet:
        """Editors' order (position), with resources in `preferred_language` first: a learner's
        preference ranks resources, it never hides the others."""
        if not preferred_language:
            return self.order_by("position", "id")
        preferred = Case(When(language=preferred_language, then=Value(0)), default=Value(1))
        return self.order_by(preferred, "position", "id")

    def published(self) -> ResourceQuerySet:
        """Resources of roadmaps learners can find (see RoadmapQuerySet.published)."""
        return self.filter(roadmap__in=_model("Roadmap").objects.published())

    def language_codes(self) -> list[str]:
        """The codes of the languages these resources are in, English first then by name."""
        codes = set(self.order_by().values_list("language", flat=True).distinct())
        return sorted(codes, key=lambda code: (code != "en", language_name(code)))

    def visible_to(self, user: object) -> ResourceQuerySet:
        """Resources a person may see: learners never see a link confirmed broken (several
        failed checks spread over time, see LinkStatus); editors and staff see all. A link that
        works again is visible again after its next successful check."""
        if getattr(user, "is_staff", False):
            return self.all()
        return self.exclude(
            Exists(LinkStatus.objects.broken_for_learners().for_url(OuterRef("url")))
        )

    def with_link_status(self) -> ResourceQuerySet:
        """Annotate `link_result` (ok, redirected, broken, unknown, blocked; None when never
        checked) and `link_broken` (confirmed broken: learners don't see it). Subqueries on
        LinkStatus by URL, so listing resources stays one query."""
        statuses = LinkStatus.objects.for_url(OuterRef("url"))
        return self.annotate(
            link_result=NullIf(
                Subquery(statuses.shown_result().values("shown_result")[:1]),  # type: ignore[misc]
                Value(""),
            ),
            link_broken=Exists(LinkStatus.objects.broken_for_learners().for_url(OuterRef("url"))),
        )
