"""Progress on the roadmap page: what its partials show, loaded once per request.

`roadmaps` must not import `progress`, so the page includes our partials and their tags ask
this module for the learner's data. The first call on a request loads everything for that
roadmap (one query for an account, none for a session) and keeps it on the request; every later
call, including the per-item control rendered hundreds of times, reads that cache. A learner
with no progress yet costs no summary queries at all: the bars appear with the first mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from progress.learners import LearnerStatus, learner_for
from progress.models import NOT_STARTED, Progress
from progress.summaries import PhaseSummary, RoadmapSummary, learner_progress
from roadmaps.models import Roadmap

CACHE_ATTRIBUTE = "_progress_pages"


@dataclass
class PageProgress:
    """Everything the partials of one roadmap page need, loaded once per request."""

    roadmap: Roadmap
    is_session: bool
    statuses: dict[int, LearnerStatus]
    summary: RoadmapSummary | None

    @property
    def completion_headline(self) -> str:
        return completion_text(self.roadmap.completion_message)[0]

    def status(self, topic_id: int) -> str:
        """The learner's status on an item of this roadmap; NOT_STARTED without a mark."""
        found = self.statuses.get(topic_id)
        return found.status if found else NOT_STARTED

    def phase(self, phase_id: int) -> PhaseSummary | None:
        """The phase's figures, or None while the learner has no progress on the roadmap."""
        return self.summary.phase(phase_id) if self.summary else None


def completion_text(message: str) -> tuple[str, list[str]]:
    """A completion message's headline (its first line) and the lines under it."""
    lines = [line for line in message.splitlines() if line.strip()]
    return (lines[0] if lines else "You completed this roadmap."), lines[1:]


def page_progress(request: HttpRequest, roadmap: Roadmap) -> PageProgress:
    """The learner's progress on `roadmap` for this request's page, loaded on first use."""
    cache: dict[int, PageProgress] = request.__dict__.setdefault(CACHE_ATTRIBUTE, {})
    found = cache.get(roadmap.pk)
    if found is None:
        learner = learner_for(request)
        statuses, summary = learner_progress(learner, roadmap)
        found = PageProgress(
            roadmap=roadmap,
            is_session=learner.is_session,
            statuses=statuses,
            summary=summary,
        )
        cache[roadmap.pk] = found
    return found


def page_progress_of(request: HttpRequest, roadmap_id: int) -> PageProgress:
    """`page_progress` for a partial that knows only the roadmap's id (a phase, an item): the
    roadmap comes from the request's cache, loaded only when no partial asked before."""
    cache: dict[int, PageProgress] = request.__dict__.get(CACHE_ATTRIBUTE, {})
    if roadmap_id in cache:
        return cache[roadmap_id]
    return page_progress(request, Roadmap.objects.get(pk=roadmap_id))


def page_progress_forget(request: HttpRequest) -> None:
    """Drop what this request loaded, after a write that changes it."""
    request.__dict__.pop(CACHE_ATTRIBUTE, None)


def status_label(status: str | None) -> str:
    """A status as words in a sentence ("in progress"), from `Progress.Status`'s labels."""
    if status in Progress.Status.values:
        return str(Progress.Status(status).label).lower()
    return "not started"
