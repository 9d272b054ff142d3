"""The five levels a phase can have, from prerequisite to expert, in learning order."""

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
