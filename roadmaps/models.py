"""The content of a roadmap: Roadmap > Phase > Section > Topic, with Resources and FAQs.

Positions are dense and zero-based inside their parent (`renumber` restores that after edits);
a Topic's `key` is its identity for learners' progress and never changes once published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from common.languages import language_name
from roadmaps.levels import Level

# LinkStatus lives with the link checker; it is imported here so Django registers it under this
# app (label `roadmaps`, migrations unchanged) and `from roadmaps.models import LinkStatus` works.
from roadmaps.linkcheck.models import LinkStatus, LinkStatusQuerySet  # noqa: F401

# The read rules live in their own module; re-exported so callers keep importing them from here.
from roadmaps.querysets import ResourceQuerySet, RoadmapQuerySet, TopicQuerySet

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

HTTP_SCHEMES = ["http", "https"]
validate_http_url = URLValidator(
    schemes=HTTP_SCHEMES, message="Enter a full web address starting with http:// or https://."
)
validate_topic_key = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase letters, digits and single hyphens, e.g. 'jwt-authentication'.",
)
validate_language_code = RegexValidator(
    r"^[a-z]{2}$", "Use a two-letter ISO 639-1 language code, e.g. 'en' or 'hi'."
)


class HttpURLField(models.URLField):
    """A URL limited to http(s); forms assume https:// when the scheme is left out."""

    default_validators = [validate_http_url]

    def formfield(self, **kwargs):  # type: ignore[no-untyped-def,override]
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


class Roadmap(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    slug = models.SlugField(
        unique=True,
        max_length=80,
        help_text="The roadmap's address: /roadmaps/<slug>/. Do not change it once published: "
        "links and bookmarks use it.",
    )
    title = models.CharField(max_length=200, help_text="As learners see it, e.g. 'Flask Roadmap'.")
    edition = models.CharField(
        max_length=40,
        blank=True,
        help_text="Shown after the title, e.g. '2026' gives '(2026 Edition)'.",
    )
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One sentence for the catalog card and search results.",
    )
    description = models.TextField(
        blank=True, help_text="A longer introduction shown at the top of the roadmap page."
    )
    category = models.CharField(
        max_length=80, blank=True, help_text="Catalog grouping, e.g. 'Backend', 'Frontend', 'Data'."
    )
    featured = models.BooleanField(default=False, help_text="Marked 'Featured' in the catalog.")
    trending = models.BooleanField(default=False, help_text="Marked 'Trending' in the catalog.")
    status = models.CharField(
        max_length=12,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published roadmaps are listed and visible to learners. "
        "Drafts are visible to editors only.",
    )
    completion_message = models.TextField(
        blank=True,
        help_text="Shown at the end of the roadmap and when a learner completes it. The first "
        "line is the headline; further lines are shown below it.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set automatically the first time the roadmap is published.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The content version: a counter that every write to the roadmap's content (its own fields,
    # phases, sections, items, resources, FAQs, and links hidden from or shown again to learners)
    # moves on by one, once per transaction. Caches, stored pages, ETags and revisions key on it,
    # so an edit shows on the next request and nothing waits for a TTL.
    content_version = models.PositiveBigIntegerField(
        default=1,
        editable=False,
        help_text="Moves on by one with every saved change to this roadmap's content.",
    )

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.display_title

    def save(self, *args, **kwargs) -> None:
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:detail", kwargs={"slug": self.slug})

    @property
    def display_title(self) -> str:
        if self.edition:
            return f"{self.title} ({self.edition} Edition)"
        return self.title

    @property
    def level_range(self) -> tuple[Level, Level] | None:
        """(lowest, highest) level of the phases, e.g. (Level.PREREQUISITE, Level.EXPERT); needs
        `with_level_and_duration()`. None for a roadmap without phases."""
        low = getattr(self, "level_min_rank", None)
        high = getattr(self, "level_max_rank", None)
        if low is None or high is None:
            return None
        levels = list(Level)
        return levels[low], levels[high]

    @property
    def duration_months(self) -> int | None:
        """Suggested total duration: the latest month any phase ends; needs
        `with_level_and_duration()`. None when no phase has a month range."""
        return getattr(self, "phase_months_max", None)


class Accent(models.TextChoices):
    """A phase's optional accent colour: the level palette under plain colour names."""

    SLATE = "slate", "Slate"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    ORANGE = "orange", "Orange"
    PINK = "pink", "Pink"


class Phase(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="The phase number shown to learners ('Phase 0', 'Phase 1', ...). "
        "Phases are renumbered 0, 1, 2, ... in this order when you save.",
    )
    title = models.CharField(max_length=200, help_text="e.g. 'Web Fundamentals'.")
    level = models.CharField(
        max_length=16,
        choices=Level.choices,
        help_text="Used for filtering and the catalog's level range.",
    )
    level_label = models.CharField(
        max_length=80,
        blank=True,
        help_text="The label shown under the title, e.g. 'Mandatory Prerequisites' or "
        "'Beginner Level'. Leave empty to show the level's name.",
    )
    min_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Start of the month range, e.g. 1 in '(1-2 Months)'."
    )
    max_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="End of the month range, e.g. 2 in '(1-2 Months)'. Leave both empty for "
        "phases without a time range.",
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence under the phase title."
    )
    accent = models.CharField(
        max_length=12,
        blank=True,
        choices=Accent.choices,
        help_text="Optional colour of the phase's side bar and number; empty uses its level's. "
        "The palette is the level colours, which pass contrast in both themes.",
    )

    class Meta:
        ordering = ["roadmap", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(min_months__isnull=True) & Q(max_months__isnull=True))
                | (
                    Q(min_months__isnull=False)
                    & Q(max_months__isnull=False)
                    & Q(min_months__lte=models.F("max_months"))
                ),
                name="phase_month_range_valid",
                violation_error_message="Give both months (start no later than end) or neither.",
            ),
        ]

    def __str__(self) -> str:
        return f"Phase {self.position}: {self.title}"

    @property
    def label(self) -> str:
        return self.level_label or self.get_level_display()

    @property
    def month_range(self) -> str:
        """'(0-1 Month)', '(1-2 Months)' or '' as the seed roadmap writes it."""
        if self.min_months is None or self.max_months is None:
            return ""
        unit = "Month" if self.max_months == 1 else "Months"
        return f"({self.min_months}-{self.max_months} {unit})"

    def clean(self) -> None:
        if (self.min_months is None) != (self.max_months is None):
            raise ValidationError("Give both months of the range, or neither.")
        if (
            self.min_months is not None
            and self.max_months is not None
            and (self.min_months > self.max_months)
        ):
            raise ValidationError({"max_months": "The range must not end before it starts."})


class Section(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order inside the phase; renumbered 0, 1, 2, ... when you save."
    )
    title = models.CharField(
        max_length=200, help_text="A group of items, e.g. 'HTTP & Web Basics'."
    )
    # Notes are shown with the section, never as items: nobody ticks off a tip.
    goal = models.CharField(
        max_length=500, blank=True, help_text="Optional: what this section is for, in a sentence."
    )
    practice = models.CharField(
        max_length=500, blank=True, help_text="Optional: how to practise what it teaches."
    )
    outcome = models.CharField(
        max_length=500, blank=True, help_text="Optional: what the learner can do afterwards."
    )
    tip = models.CharField(max_length=500, blank=True, help_text="Optional: a tip from experience.")

    NOTES = (("goal", "Goal"), ("practice", "Practice"), ("outcome", "Outcome"), ("tip", "Tip"))

    class Meta:
        ordering = ["phase", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def notes(self) -> list[tuple[str, str]]:
        """(label, text) of the notes this section has, in a fixed order."""
        return [(label, getattr(self, name)) for name, label in self.NOTES if getattr(self, name)]


class Topic(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic"
        PROJECT = "project", "Project"
        GOAL = "goal", "Goal"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="topics")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        help_text="Retired items keep their progress but belong to no section.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order inside the section; renumbered 0, 1, 2, ... when you save."
    )
    key = models.SlugField(
        max_length=100,
        validators=[validate_topic_key],
        help_text="Permanent identifier of this item within the roadmap. Learners' progress is "
        "stored against it: never change it once the roadmap is published, even when you "
        "reword the title.",
    )
    title = models.CharField(max_length=200, help_text="e.g. 'Client-Server model'.")
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown after the arrow: 'Client-Server model -> Understanding request-response "
        "cycle'.",
    )
    kind = models.CharField(
        max_length=8,
        choices=Kind.choices,
        default=Kind.TOPIC,
        db_index=True,
        help_text="Projects are things to build, goals are milestones; both are tracked like "
        "topics but counted separately.",
    )
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when an item was removed from the roadmap while learners had progress on "
        "it: hidden from the page, kept for their history.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["roadmap", "section__phase__position", "section__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "key"],
                name="topic_key_unique_in_roadmap",
                violation_error_message="Another item of this roadmap already uses this key.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.section_id and not self.roadmap_id:
            self.roadmap_id = Section.objects.values_list("phase__roadmap_id", flat=True).get(
                pk=self.section_id
            )
        super().save(*args, **kwargs)


class Resource(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL_DOCS = "official_docs", "Official documentation"
        VIDEO_COURSE = "video_course", "Video course"
        ARTICLE = "article", "Article"
        PROJECT_WALKTHROUGH = "project_walkthrough", "Project walkthrough"
        BOOK = "book", "Book"
        TOOL = "tool", "Tool"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="resources")
    phase = models.ForeignKey(
        Phase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
        help_text="Attach to a phase to show the resource under that phase.",
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
        help_text="Attach to one item to show the resource next to it.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order among its siblings.")
    kind = models.CharField(
        max_length=24,
        choices=Kind.choices,
        db_index=True,
        help_text="What sort of resource this is; learners see it as a label.",
    )
    title = models.CharField(
        max_length=200, help_text="What the learner will click, e.g. 'Flask documentation'."
    )
    url = HttpURLField(
        max_length=500,
        help_text="A full http:// or https:// address. Other schemes are refused.",
    )
    language = models.CharField(
        max_length=2,
        default="en",
        db_index=True,
        validators=[validate_language_code],
        help_text="Two-letter ISO 639-1 code of the resource's language: 'en' English, 'hi' Hindi.",
    )
    is_free = models.BooleanField(default=True, help_text="Untick for paid courses and books.")
    author = models.CharField(
        max_length=120, blank=True, help_text="Author, publisher or YouTube channel."
    )
    description = models.CharField(
        max_length=500, blank=True, help_text="Optional: what the learner finds there, in a line."
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["roadmap", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__isnull=True) | Q(topic__isnull=True),
                name="resource_one_owner",
                violation_error_message="Attach a resource to a phase or to an item, not both.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.roadmap_id:
            owner = self.topic or self.phase
            if owner is not None:
                self.roadmap_id = owner.roadmap_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.phase_id and self.topic_id:
            raise ValidationError("Attach a resource to a phase or to an item, not both.")
        if self.roadmap_id:
            if self.phase is not None and self.phase.roadmap_id != self.roadmap_id:
                raise ValidationError({"phase": "This phase belongs to another roadmap."})
            if self.topic is not None and self.topic.roadmap_id != self.roadmap_id:
                raise ValidationError({"topic": "This item belongs to another roadmap."})

    @property
    def language_name(self) -> str:
        return language_name(self.language)


class FAQ(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="faqs")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the page.")
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Plain text; blank lines separate paragraphs.")
    category = models.CharField(
        max_length=80, blank=True, help_text="Optional group, e.g. 'Getting started', 'Careers'."
    )

    class Meta:
        ordering = ["roadmap", "position", "id"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self) -> str:
        return self.question


def renumber(rows: Iterable[models.Model], *, moved: Collection[tuple[str, int]] = ()) -> int:
    """Give `rows` (ordered by position) dense positions 0..n-1; returns rows changed.

    `moved` names rows (model label, pk) an editor just gave a new position: on a tie they go
    first, so typing 2 puts an item *at* place 2, before the item that was there. Only rows
    whose position differs are written, so renumbering an ordered list costs nothing.
    """
    ordered = sorted(
        enumerate(rows),
        key=lambda pair: (
            pair[1].position,  # type: ignore[attr-defined]
            (pair[1]._meta.label, pair[1].pk) not in moved,
            pair[0],
        ),
    )
    changed = []
    for index, (_, row) in enumerate(ordered):
        if row.position != index:  # type: ignore[attr-defined]
            row.position = index  # type: ignore[attr-defined]
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])  # type: ignore[attr-defined]
    return len(changed)
