"""The content of a roadmap: Roadmap > Phase > Section > Topic, with Resources and FAQs.

Positions are dense and zero-based inside their parent (`ordering.renumber` restores that after
edits). A Topic's `key` names it in links and content files; learners' progress points at the
Topic row, so a key changes only through a rename that keeps that row (`topic_key_rename`,
`renamed_from` in content files).
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from common.languages import language_name
from roadmaps.choices import Level, ResourceKind

# LinkStatus lives with the link checker; it is imported here so Django registers it under this
# app (label `roadmaps`, migrations unchanged) and `from roadmaps.models import LinkStatus` works.
from roadmaps.linkcheck.models import LinkStatus, LinkStatusQuerySet  # noqa: F401

# Phases live in their own module, registered under this app.
from roadmaps.phase_model import Phase

# The read rules live in their own module; re-exported so callers keep importing them from here.
from roadmaps.querysets import ResourceQuerySet, RoadmapQuerySet

# Revisions of a whole roadmap live in their own module, registered under this app.
from roadmaps.revision_model import Revision  # noqa: F401

# Learners' resource suggestions, reviewed by editors (roadmaps.suggestions).
from roadmaps.suggestion_model import ResourceSuggestion  # noqa: F401

# Tags of roadmaps, registered under this app.
from roadmaps.tag_model import Tag

# Items live in their own module, registered under this app.
from roadmaps.topic_model import Topic
from roadmaps.validators import validate_http_url, validate_language_code


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
        help_text="The roadmap's address: the slug 'flask' gives /roadmaps/flask/. Do not change "
        "it once published: links and bookmarks use it.",
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
    tags = models.ManyToManyField(
        Tag,
        blank=True,
        related_name="roadmaps",
        help_text="Shown on the catalog card and the page; learners filter the catalog by them.",
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
    # Where the content came from: the file content (its SHA-256) it was last imported from, and
    # its content version right after that import. A file that changed is applied only while
    # the content version is still that one (nobody edited the roadmap since).
    source_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    source_version = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source_imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    draft_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="drafts",
        editable=False,
        help_text="For a draft copy: the published roadmap it will be published over.",
    )

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True) | Q(status="draft"),
                name="roadmap_draft_copy_stays_draft",
                violation_error_message="A draft copy stays a draft: use 'Publish over the "
                "original' to show its content to learners.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} [draft copy]" if self.draft_of_id else self.display_title

    def save(self, *args, **kwargs) -> None:
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # The constraint below, said on the form (it names a field the form does not edit).
        if self.draft_of_id and self.status != self.Status.DRAFT:
            raise ValidationError(
                {
                    "status": "A draft copy stays a draft: use 'Publish over the original' to "
                    "show its content to learners."
                }
            )

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
        """Suggested total duration in whole months: the latest point any phase ends, weeks
        and days converted (see `roadmaps.durations`) and rounded up; needs
        `with_level_and_duration()`. None when no phase has a time range."""
        months = getattr(self, "phase_months_max", None)
        return None if months is None else math.ceil(round(months, 6))


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

    def clean(self) -> None:
        if not (self.pk and self.phase_id):
            return
        was = Section.objects.filter(pk=self.pk).values_list("phase__roadmap_id", flat=True)
        now = Phase.objects.filter(pk=self.phase_id).values_list("roadmap_id", flat=True)
        if list(was) != list(now) and self.topics.exists():
            raise ValidationError(
                {
                    "phase": "This phase belongs to another roadmap. A section with items "
                    "stays in its roadmap: choose a phase of the same roadmap."
                }
            )

    @property
    def notes(self) -> list[tuple[str, str]]:
        """(label, text) of the notes this section has, in a fixed order."""
        return [(label, getattr(self, name)) for name, label in self.NOTES if getattr(self, name)]


class Resource(models.Model):
    Kind = ResourceKind

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
