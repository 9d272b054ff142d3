"""Revision: the whole of a roadmap's content at one moment, as its content file.

Every content change records one (see `roadmaps.changes.roadmap_content_changed`), so editors
can see who changed what, compare any two and go back to one. The snapshot is the roadmap's
document (`roadmaps.content.export.roadmap_document`) as compact JSON, zlib-compressed;
`text` gives it back as the content file the export writes.

The model belongs to the `roadmaps` app and `roadmaps.models` re-exports it; this module never
imports `roadmaps.models` (the two would import each other), so it names models as strings.
"""

from __future__ import annotations

import zlib
from typing import Any

from django.conf import settings
from django.db import models

from roadmaps.content_text import snapshot_file_text, snapshot_json


class Revision(models.Model):
    class How(models.TextChoices):
        ADMIN = "admin", "Edited in the admin"
        IMPORT = "import", "Imported from a content file"
        REVERT = "revert", "Reverted to an earlier revision"
        PUBLISH = "publish", "Published from a draft copy"

    roadmap = models.ForeignKey(
        "roadmaps.Roadmap", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(help_text="1, 2, 3, ... per roadmap.")
    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the change; empty for imports and scripts.",
    )
    user_name = models.CharField(
        max_length=150, blank=True, help_text="The user's name at the time, kept if they go."
    )
    how = models.CharField(max_length=12, choices=How.choices)
    message = models.CharField(max_length=300, blank=True)
    content_version = models.PositiveBigIntegerField(
        help_text="The roadmap's content version this snapshot shows."
    )
    snapshot = models.BinaryField(help_text="The roadmap's content file, zlib-compressed.")

    class Meta:
        ordering = ["roadmap", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"revision {self.number}"

    @staticmethod
    def pack(text: str) -> bytes:
        return zlib.compress(text.encode("utf-8"), 9)

    @staticmethod
    def pack_document(document: dict[str, Any]) -> bytes:
        """A content document as a snapshot (compact JSON; see `roadmaps.content_text`)."""
        return Revision.pack(snapshot_json(document))

    @property
    def text(self) -> str:
        """The snapshot as a content file, exactly as the export writes it."""
        return snapshot_file_text(zlib.decompress(bytes(self.snapshot)).decode("utf-8"))

    @property
    def who(self) -> str:
        return self.user_name or ("a content file" if self.how == self.How.IMPORT else "unknown")
