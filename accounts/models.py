from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from common.model_rows import ModelColumns, rows
from common.row_watch import WATCH

EDITORS_GROUP = "Editors"


class UserManager(DjangoUserManager["User"]):
    """Django's, with `get(pk=...)` read by one short SQL statement: authentication loads the
    signed-in user that way on every request (`ModelBackend.get_user`), and building the ORM
    query cost three times the CPU of reading the row (common/model_rows.py). Same instance,
    same DoesNotExist; any other lookup is the ORM's."""

    def get(self, *args: Any, **kwargs: Any) -> User:
        if args or list(kwargs) != ["pk"] or type(kwargs["pk"]) is not int:
            return super().get(*args, **kwargs)
        pk = kwargs["pk"]
        # The row is kept per process until PostgreSQL reports a write to it (a mark moves the
        # progress version, a new password, a deactivation): common.row_watch. Each caller
        # gets an instance of its own.
        row = WATCH.read("user", str(pk), lambda: _user_row(pk))
        if row is None:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return USER_COLUMNS.instance(row)


def _user_row(pk: int) -> tuple | None:
    found = rows(
        f"SELECT {USER_COLUMNS.sql} FROM {USER_COLUMNS.table} u WHERE u.id = %s",  # noqa: S608
        [pk],
    )
    return found[0] if found else None


class User(AbstractUser):
    """A learner; staff users in the "Editors" group also curate content in the admin."""

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

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
    # Moved on by every write of the learner's marks (progress.learners.AccountLearner): it
    # comes with the user row that every request loads anyway, so a learner's statuses and
    # summaries can be kept per version without asking the database whether they changed.
    progress_version = models.PositiveBigIntegerField(
        default=0, editable=False, help_text="Counts the writes of this learner's progress."
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


USER_COLUMNS = ModelColumns(User, "u")


class ApiToken(models.Model):
    """A personal API token. Only a hash of the secret is stored; the learner sees it once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, help_text="What the learner uses this token for.")
    # The first characters of the raw token: shown in lists so a learner can tell tokens apart,
    # and used to find the candidate row before the constant-time hash comparison.
    prefix = models.CharField(max_length=16, db_index=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the raw token, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
