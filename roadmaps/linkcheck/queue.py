"""Queue link checks for the Celery workers: the top of the link checker, above its services.

Services decide what is due and record results; only this module and the beat tasks put work
on the broker, so `services` never imports `tasks`.
"""

from __future__ import annotations

from roadmaps.linkcheck import services


def links_queue_new(*, urls: list[str]) -> list[str]:
    """Resources with these URLs were saved: make the URLs known and check new ones soon."""
    return services.links_schedule(urls=urls)
