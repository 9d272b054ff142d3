from __future__ import annotations

from django.conf import settings
from django.db import models

from roadmaps.models import Roadmap, Topic

# The status of an item without a row. Services accept it to forget an item's mark.
NOT_STARTED = "none"
# The roadmap page form's short values for the statuses (the keyboard keys): every item carries
# three buttons, 173 to 2,000 items a page. The form also takes the statuses' full names.
STATUS_CODES = {"d": "done", "i": "in_progress", "s": "skipped", "n": NOT_STARTED}


class Progress(models.Model):
    """A learner's status on one topic. No row means "not started"."""

    class Status(models.TextChoices):
        DONE = "done", "Done"
        IN_PROGRESS = "in_progress", "In progress"
        SKIPPED = "skipped", "Skipped"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress"
    )
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="+")
    # RESTRICT: content edits must never silently delete a learner's work; the importer
    # retires a topic that still has progress instead of deleting it.
    topic = models.ForeignKey(Topic, on_delete=models.RESTRICT, related_name="progress")
    status = models.CharField(max_length=12, choices=Status.choices)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="progress_one_row_per_topic"),
        ]
        indexes = [
            models.Index(fields=["user", "roadmap"]),
            # The dashboard's latest marks and activity calendar read one learner's marks by
            # time: without it PostgreSQL sorted all of them (15,000 marks: 14.6 ms for 10).
            models.Index(fields=["user", "-updated_at"], name="progress_user_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.topic.key}: {self.status}"
