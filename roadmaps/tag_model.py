"""Tag: a topic label of roadmaps ("Python", "Web Development"), shown on catalog cards and the
roadmap page; the catalog filters by it and lists the popular ones.

Editors manage tags in the admin (a tag's name and slug) and give roadmaps their tags there or
in the content file (`tags: [Python, Web Development]`, found again by slug). The model belongs
to the `roadmaps` app and `roadmaps.models` re-exports it; this module never imports
`roadmaps.models`, so it names models as strings.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Q


class TagQuerySet(models.QuerySet[Any]):
    def popular(self, *, limit: int = 10) -> TagQuerySet:
        """Tags of published roadmaps, the most used first (then by name), with `roadmap_count`."""
        published = Q(roadmaps__status="published", roadmaps__draft_of__isnull=True)
        return (
            self.annotate(roadmap_count=Count("roadmaps", filter=published))
            .filter(roadmap_count__gt=0)
            .order_by("-roadmap_count", "name")[:limit]
        )


class Tag(models.Model):
    slug = models.SlugField(
        unique=True,
        max_length=50,
        help_text="The tag's address in the catalog: 'python' gives /roadmaps/?tag=python. "
        "Content files find the tag by it.",
    )
    name = models.CharField(
        max_length=50, help_text="As learners see it, e.g. 'Python' or 'Web Development'."
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug="") & ~Q(name=""),
                name="tag_slug_and_name_not_empty",
                violation_error_message="A tag needs a name and a slug.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
