"""A learner's parts put into a roadmap's stored content (roadmaps.pages), without a template.

The stored content carries markers `<!--rmf:...-->` where the learner's parts go:

- `<!--rmf:r-->`: the roadmap's progress summary (rendered per request: it is one partial);
- `<!--rmf:p:<phase id>:<position>-->`: a phase's bar and counts (`phase_summary_html`);
- `<!--rmf:c:<topic id>:<key>:<escaped title>-->`: an item's control.

The content is split at its markers once per content (`fill_plan`, kept while the stored
content is): the text between markers and, for each item, its control in every status, built
ahead, all as bytes. A request then only picks pieces, choosing each item's control by the
learner's status with one dict lookup: no regular expression over the page, no string building
per item. The pieces go into the rendered page as they are (`common.splice`). A new kind of
marker is one more branch in `_prepare` (what can be built once) and in `FillPlan.fill` (what
depends on the learner).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from common.stored import Store
from progress.learners import LearnerStatus
from progress.models import NOT_STARTED

MARKER = re.compile(r"<!--rmf:(r|p:(\d+):(\d+)|c:(\d+):([\w-]+):([^>]*?))-->")

# (kind, arguments): ("r", ()), ("p", (phase id, position)), ("c", (topic id, {status: html}))
Marker = tuple[str, Any]


@dataclass(frozen=True)
class FillPlan:
    """The content cut at its markers: `texts[0] marker[0] texts[1] ... marker[n-1] texts[n]`."""

    texts: tuple[bytes, ...]
    markers: tuple[Marker, ...]

    def fill(
        self,
        *,
        statuses: Mapping[int, LearnerStatus],
        summary: Callable[[], str],
        phase: Callable[[int, int], str],
    ) -> list[bytes]:
        """The content with this learner's parts, as pieces to join: `summary()` for the
        roadmap's summary, `phase(id, position)` for a phase's bar, each item's control for its
        status (prepared as bytes)."""
        pieces = [self.texts[0]]
        append = pieces.append
        for (kind, arguments), text in zip(self.markers, self.texts[1:], strict=True):
            if kind == "c":
                topic_id, controls = arguments
                found = statuses.get(topic_id)
                append(controls.get(found.status if found else NOT_STARTED, controls[NOT_STARTED]))
            elif kind == "p":
                append(phase(*arguments).encode())
            else:
                append(summary().encode())
            append(text)
        return pieces


PLANS: Store[FillPlan] = Store(max_entries=64)


def fill_plan(
    content: str, *, control: Callable[[str, str, str], str], statuses: tuple[str, ...]
) -> FillPlan:
    """The plan of `content`, made on its first use and kept while the content is the same
    string (stored content is one string per content version, so the key is cheap to hash
    after its first use). `control(key, escaped title, status)` builds an item's control."""
    return PLANS.get(content, None, lambda: _prepare(content, control, statuses))


def _prepare(
    content: str, control: Callable[[str, str, str], str], statuses: tuple[str, ...]
) -> FillPlan:
    texts: list[bytes] = []
    markers: list[Marker] = []
    end = 0
    for match in MARKER.finditer(content):
        texts.append(content[end : match.start()].encode())
        end = match.end()
        if match.group(1) == "r":
            markers.append(("r", ()))
        elif match.group(2):
            markers.append(("p", (int(match.group(2)), int(match.group(3)))))
        else:
            # The key is a slug and the title was escaped when the content was rendered.
            key, title_html = match.group(5), match.group(6)
            controls = {status: control(key, title_html, status).encode() for status in statuses}
            markers.append(("c", (int(match.group(4)), controls)))
    texts.append(content[end:].encode())
    return FillPlan(texts=tuple(texts), markers=tuple(markers))
