"""A learner's parts put into a roadmap's stored content (roadmaps.pages), without a template.

The stored content carries markers `<!--rmf:...-->` where the learner's parts go:

- `<!--rmf:c:<topic id>:<key>:<escaped title>-->`: an item's control;
- `<!--rmf:r-->`: the roadmap's progress summary (rendered per request: it is one partial);
- `<!--rmf:p:<phase id>:<position>-->`: a phase's bar and counts (`phase_summary_html`);
- `<!--rmf:o:<phase id>:<position>-->`, `<!--rmf:n:...-->`: a phase's figures in the overview
  and in the navigator (`progress.parts`);
- `<!--rmf:s-->`: the overall bar that stays in view; `<!--rmf:k-->`: the completion block.

The content is split at its markers once per content (`fill_plan`, kept while the stored
content is): the text between markers and, for each item, its control in every status, built
ahead, all as bytes. A request then only picks pieces, choosing each item's control by the
learner's status with one dict lookup: no regular expression over the page, no string building
per item. The pieces go into the rendered page as they are (`common.splice`). A new kind of
marker other than an item's control needs only its letter in MARKER and its branch in the
`part` callback (`progress.templatetags.progress_tags.progress_fill`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from common.stored import Store
from progress.learners import LearnerStatus
from progress.models import NOT_STARTED

MARKER = re.compile(r"<!--rmf:(?:c:(\d+):([\w-]+):([^>]*?)|([rponsk])(?::(\d+):(\d+))?)-->")

# (kind, arguments): ("c", (topic id, {status: html})), or a part: (kind, (phase id, position)),
# both 0 for the parts of the whole roadmap (r, s, k).
Marker = tuple[str, Any]


@dataclass(frozen=True)
class FillPlan:
    """The content cut at its markers: `texts[0] marker[0] texts[1] ... marker[n-1] texts[n]`."""

    texts: tuple[bytes, ...]
    markers: tuple[Marker, ...]

    def fill(
        self, *, statuses: Mapping[int, LearnerStatus], part: Callable[[str, int, int], str]
    ) -> list[bytes]:
        """The content with this learner's parts, as pieces to join: each item's control for
        its status (prepared as bytes), `part(kind, phase id, position)` for every other
        marker (0, 0 for the roadmap's own parts)."""
        pieces = [self.texts[0]]
        append = pieces.append
        for (kind, arguments), text in zip(self.markers, self.texts[1:], strict=True):
            if kind == "c":
                topic_id, controls = arguments
                found = statuses.get(topic_id)
                append(controls.get(found.status if found else NOT_STARTED, controls[NOT_STARTED]))
            else:
                append(part(kind, *arguments).encode())
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
        if match.group(4):
            phase_id, position = match.group(5), match.group(6)
            markers.append((match.group(4), (int(phase_id or 0), int(position or 0))))
        else:
            # The key is a slug and the title was escaped when the content was rendered.
            key, title_html = match.group(2), match.group(3)
            controls = {status: control(key, title_html, status).encode() for status in statuses}
            markers.append(("c", (int(match.group(1)), controls)))
    texts.append(content[end:].encode())
    return FillPlan(texts=tuple(texts), markers=tuple(markers))
