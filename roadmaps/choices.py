"""Fixed lists editors choose from: a phase's level (five, from prerequisite to expert, in
learning order) and optional accent colour, and what sort of link a resource is."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    PREREQUISITE = "prerequisite", "Prerequisite"
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"
    EXPERT = "expert", "Expert"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)


class Accent(models.TextChoices):
    """A phase's optional accent colour: the level palette under plain colour names."""

    SLATE = "slate", "Slate"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    ORANGE = "orange", "Orange"
    PINK = "pink", "Pink"


class ResourceKind(models.TextChoices):
    """What sort of link a resource is (`Resource.Kind`); learners see it as a label."""

    OFFICIAL_DOCS = "official_docs", "Official documentation"
    VIDEO_COURSE = "video_course", "Video course"
    ARTICLE = "article", "Article"
    PROJECT_WALKTHROUGH = "project_walkthrough", "Project walkthrough"
    BOOK = "book", "Book"
    TOOL = "tool", "Tool"
