"""ResourceSuggestion: a link a learner proposes for an item, waiting for an editor's review.

Learners never write content: a suggestion is its own row, and only an editor's approval
(`roadmaps.suggestions.suggestion_approve`) turns it into a Resource through the normal content
write path. The model belongs to the `roadmaps` app and `roadmaps.models` re-exports it; this
module never imports `roadmaps.models`, so it names models as strings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from roadmaps.choices import ResourceKind
from roadmaps.validators import validate_http_url, validate_language_code


class ResourceSuggestion(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved (added to the item)"
        REJECTED = "rejected", "Rejected"

    topic = models.ForeignKey(
        "roadmaps.Topic",
        on_delete=models.CASCADE,
        related_name="suggestions",
        help_text="The item the learner suggested the resource for.",
    )
    # The learner who suggested it; their account's deletion removes their suggestions too.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_suggestions"
    )
    title = models.CharField(max_length=200, help_text="What the learner would click.")
    url = models.URLField(
        max_length=500,
        validators=[validate_http_url],
        help_text="Not visited when it was suggested: open it yourself before approving.",
    )
    kind = models.CharField(max_length=24, choices=ResourceKind.choices)
    language = models.CharField(max_length=2, default="en", validators=[validate_language_code])
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why the learner recommends it (not shown on the site).",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reject_reason = models.CharField(
        max_length=300, blank=True, help_text="Why it was not added (kept for the record)."
    )
    resource = models.ForeignKey(
        "roadmaps.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The resource an approval created.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "url"],
                condition=Q(status="pending"),
                name="suggestion_pending_once_per_item_url",
                violation_error_message="This link is already waiting for review on this item.",
            ),
        ]

    def __str__(self) -> str:
        return self.title
