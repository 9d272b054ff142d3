"""Check a new or edited resource's URL soon after it is saved.

All URLs saved in one transaction (an admin page with inlines, a content import) are handed to
`links_schedule` together, once, after the commit: nothing is queued for a rolled-back save,
and an import of 170 resources makes one batch, not 170 tasks.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save


class _PendingLinks:
    """The on-commit callback of one transaction, collecting its URLs."""

    def __init__(self, url: str):
        self.urls = {url}

    def __call__(self) -> None:
        from roadmaps.linkcheck.services import links_schedule

        links_schedule(urls=self.urls)


def _on_resource_saved(sender: type, instance: object, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return
    url = getattr(instance, "url", "")
    if not url:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Join this transaction's pending callback if there is one (Django drops callbacks of
        # a rolled-back transaction, so a stale one is never found here).
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _PendingLinks):
                callback.urls.add(url)
                return
    transaction.on_commit(_PendingLinks(url))


def connect() -> None:
    from roadmaps.models import Resource

    post_save.connect(_on_resource_saved, sender=Resource, dispatch_uid="linkcheck-resource-saved")
