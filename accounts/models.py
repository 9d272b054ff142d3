from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

EDITORS_GROUP = "Editors"


class User(AbstractUser):
    """A learner; staff users in the "Editors" group also curate content in the admin."""

    display_name = models.CharField(
        max_length=120, blank=True, help_text="Shown on the learner's public profile."
    )
    preferred_language = models.CharField(
        max_length=2,
        blank=True,
        help_text="ISO 639-1 code of the resource language the learner prefers; empty for all.",
    )
    is_profile_public = models.BooleanField(
        default=False, help_text="Public profiles show progress at /u/<username>/."
    )

    @property
    def is_editor(self) -> bool:
        return (
            self.is_active
            and self.is_staff
            and (self.is_superuser or self.groups.filter(name=EDITORS_GROUP).exists())
        )

    def __str__(self) -> str:
        return self.display_name or self.username
