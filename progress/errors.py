"""Why a progress change was refused. Every error derives from `ProgressError`, changes
nothing, and its message is safe to show to the learner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from progress.models import NOT_STARTED, Progress

if TYPE_CHECKING:
    from roadmaps.models import Roadmap


class ProgressError(Exception):
    """A progress change was refused; nothing was changed. `str(error)` is safe to show."""


class InvalidStatusError(ProgressError, ValueError):
    def __init__(self, status: object):
        self.status = status
        expected = ", ".join([*Progress.Status.values, NOT_STARTED])
        super().__init__(f"Unknown status {status!r}; expected one of: {expected}.")


class TopicNotTrackableError(ProgressError):
    """The item is retired, or its roadmap is not published (and the learner is no editor)."""


class UnknownTopicError(ProgressError, KeyError):
    def __init__(self, key: str, roadmap: Roadmap):
        self.key = key
        super().__init__(f"Roadmap {roadmap.slug!r} has no item with key {key!r}.")

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])
