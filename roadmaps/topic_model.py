"""Topic: one item of a roadmap (a topic, a project or a goal), with its optional body.

The model belongs to the `roadmaps` app and `roadmaps.models` re-exports it; this module never
imports `roadmaps.models` (the two would import each other), so it names models as strings.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from roadmaps.markdown import BODY_MAX_LENGTH, markdown_html
from roadmaps.querysets import TopicQuerySet
from roadmaps.validators import validate_topic_key


class Topic(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic"
        PROJECT = "project", "Project"
        GOAL = "goal", "Goal"

    roadmap = models.ForeignKey("roadmaps.Roadmap", on_delete=models.CASCADE, related_name="topics")
    # RESTRICT, not SET_NULL: an item without a section would still count in learners' totals
    # and the catalog while no page shows it. Deleting a section that holds items goes through
    # `sections_delete`, which moves or removes them first; deleting a whole roadmap (or phase)
    # still cascades, as the items go with it.
    section = models.ForeignKey(
        "roadmaps.Section",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="topics",
        help_text="The section the item is listed in. Only retired items (kept for learners' "
        "history) belong to no section.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order inside the section; renumbered 0, 1, 2, ... when you save."
    )
    key = models.SlugField(
        max_length=100,
        validators=[validate_topic_key],
        help_text="Permanent identifier of this item within the roadmap, used in links and "
        "content files. Rewording the title never needs a new key; to change it, use 'Rename "
        "key' (or renamed_from in the content file), which keeps learners' progress.",
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
    body = models.TextField(
        blank=True,
        max_length=BODY_MAX_LENGTH,
        help_text="Optional: what the learner reads when opening the item, in Markdown: "
        "paragraphs, **bold**, _italic_, `code`, code blocks, lists, '### Headings', "
        "> quotes and [links](https://...) (http, https and mailto only). Raw HTML and images "
        "are not shown. For a project, write its brief: what to build, requirements, an "
        "acceptance checklist ('- [ ] ...'), stretch goals and links (docs/editing.md).",
    )
    # The body as learners see it, rendered and sanitized once per change (roadmaps.markdown):
    # here on save, and by the content-file importer, which writes in bulk without save().
    body_html = models.TextField(blank=True, editable=False)
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
            models.CheckConstraint(
                condition=Q(section__isnull=False) | Q(retired_at__isnull=False),
                name="topic_in_a_section_unless_retired",
                violation_error_message="Choose the section this item is listed in.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.section_id and not self.roadmap_id:
            self.roadmap_id = (
                self._section_model()
                .objects.values_list("phase__roadmap_id", flat=True)
                .get(pk=self.section_id)
            )
        # Textareas send CRLF; the content file (and its diffs) keep one kind of line end.
        self.body = self.body.replace("\r\n", "\n").strip("\n").rstrip()
        self.body_html = markdown_html(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:item", kwargs={"slug": self.roadmap.slug, "key": self.key})

    def clean(self) -> None:
        if self.section_id and self.roadmap_id:
            section_roadmap = (
                self._section_model()
                .objects.values_list("phase__roadmap_id", flat=True)
                .get(pk=self.section_id)
            )
            if section_roadmap != self.roadmap_id:
                # Moving an item to another roadmap would leave its progress, resources and
                # key behind in the old one; editors recreate it there instead.
                raise ValidationError(
                    {
                        "section": "This section belongs to another roadmap. An item stays in "
                        "its roadmap: choose a section of the same roadmap, or add a new item "
                        "to the other roadmap."
                    }
                )

    @classmethod
    def _section_model(cls) -> Any:
        return cls._meta.get_field("section").related_model
