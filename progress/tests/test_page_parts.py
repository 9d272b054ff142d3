"""The roadmap page's learner parts beside the item controls (progress.parts): the overview's
and the navigator's per-phase figures, the overall bar that stays in view and the completion
block; filled into the stored page's markers per learner, never shared."""

from __future__ import annotations

import re

import pytest

from progress import parts
from progress.services import progress_set_many
from progress.summaries import Counts
from roadmaps.models import Roadmap, Topic
from roadmaps.pages import CONTENTS

pytestmark = pytest.mark.django_db


def phase_keys(roadmap: Roadmap, position: int) -> list[str]:
    return list(
        Topic.objects.filter(roadmap=roadmap, section__phase__position=position).values_list(
            "key", flat=True
        )
    )


def overview(html: str) -> list[str]:
    found = re.search(r'<ol class="overview__list">(.*?)</ol>', html, re.S)
    assert found is not None
    return re.findall(r"<li[^>]*>(.*?)</li>", found[1], re.S)


def test_the_overview_has_one_linked_row_per_phase(client, roadmap):
    rows = overview(client.get(roadmap.get_absolute_url()).content.decode())
    assert len(rows) == 2
    for position, row in enumerate(rows):
        assert row.startswith(f'<a href="#phase-{position}">')
        assert f'<span class="sr-only">Phase </span>{position}</span>' in row
        assert f'<span class="ovt">Phase {position} title</span>' in row
        assert '<span class="ovl">Generated level</span>' in row
        # A position on the timeline, not a duration.
        assert (
            f'<span class="ovm"><span class="sr-only">Timeline: </span>'
            f"Months {position}\u2013{position + 1}</span>"
        ) in row
        # A visitor with no marks sees no figures.
        assert f'<span class="ovp" id="ovp-{position}"></span>' in row


def test_two_learners_each_see_only_their_own_phase_figures(
    client, learner, other_learner, roadmap
):
    progress_set_many(
        user=learner, roadmap=roadmap, statuses=dict.fromkeys(phase_keys(roadmap, 0), "done")
    )
    progress_set_many(user=other_learner, roadmap=roadmap, statuses={"item-2": "in_progress"})
    url = roadmap.get_absolute_url()
    anonymous = client.get(url).content.decode()  # stores the page for visitors

    client.force_login(learner)
    mine = client.get(url).content.decode()
    assert '<span class="ovp ovp--done" id="ovp-0">10 of 10 done</span>' in mine
    assert '<span class="ovp" id="ovp-1"></span>' in mine
    assert '<span class="nvp nvp--done" id="nvp-0">' in mine
    assert '<span class="nvp" id="nvp-1"></span>' in mine
    assert re.search(r'id="sticky-pg">.*aria-valuenow="50"', mine)
    assert "<strong>50%</strong> · 10 of 20 done" in mine
    assert 'data-learner="account"' in mine
    assert "<!--rmf:" not in mine

    client.force_login(other_learner)
    theirs = client.get(url).content.decode()
    assert '<span class="ovp" id="ovp-0"></span>' in theirs
    assert '<span class="ovp" id="ovp-1">0 of 10 done</span>' in theirs
    assert "nvp--done" not in theirs
    assert re.search(r'id="nvp-1"><span class="sr-only">, </span>0%', theirs)
    assert "10 of 10 done" not in theirs
    assert "<!--rmf:" not in theirs

    client.logout()
    client.cookies.clear()
    again = client.get(url).content.decode()
    for html in (anonymous, again):
        assert " of 10 done</span>" not in html
        assert '<div class="sticky-pg" id="sticky-pg"></div>' in html
        assert "nvp--" not in html
        assert 'data-learner="account"' not in html


def test_the_stored_content_keeps_markers_for_every_part(client, learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-0": "done"})
    client.force_login(learner)
    client.get(roadmap.get_absolute_url())
    content = CONTENTS.get(
        (roadmap.slug, ""),
        (roadmap.pk, roadmap.content_version),
        lambda: pytest.fail("the learner's page stored its content"),
    )
    phases = list(roadmap.phases.order_by("position"))
    for phase in phases:
        assert f"<!--rmf:o:{phase.pk}:{phase.position}-->" in content
        assert f"<!--rmf:n:{phase.pk}:{phase.position}-->" in content
        assert f"<!--rmf:p:{phase.pk}:{phase.position}-->" in content
    assert content.count("<!--rmf:s-->") == 1
    assert content.count("<!--rmf:k-->") == 1
    assert content.count("<!--rmf:r-->") == 1
    assert content.count("<!--rmf:c:") == 20
    assert "10 of" not in content and "1 of 20 done" not in content  # nobody's figures


def test_the_completion_block_waits_for_completion(client, learner, roadmap):
    Roadmap.objects.filter(pk=roadmap.pk).update(
        completion_message="🏁 Done with Tiny!\nOn to the next one."
    )
    url = roadmap.get_absolute_url()
    client.force_login(learner)
    keys = list(roadmap.topics.values_list("key", flat=True))
    progress_set_many(user=learner, roadmap=roadmap, statuses=dict.fromkeys(keys[1:], "done"))
    before = client.get(url).content.decode()
    assert "Done with Tiny!" not in before
    assert '<h2 id="completion-title">What completing this roadmap means</h2>' in before
    assert "So far: 19 of 20 done, 0 skipped, 1 to go." in before

    progress_set_many(user=learner, roadmap=roadmap, statuses={keys[0]: "skipped"})
    after = client.get(url).content.decode()
    block = re.search(r'<section class="completion completion--done".*?</section>', after, re.S)
    assert block is not None
    assert '<h2 id="completion-title">🏁 Done with Tiny!</h2>' in block[0]
    assert "<p>On to the next one.</p>" in block[0]
    # The headline has its emoji: the page adds none (one at most).
    assert "🎉" not in after
    assert "What completing this roadmap means" not in after


@pytest.mark.parametrize(
    ("text", "expected"),
    [("🚀 Ship it", True), ("Done ✅", True), ("Plain words", False), ("Arrows → fine", False)],
)
def test_has_emoji(text, expected):
    assert parts.has_emoji(text) is expected


@pytest.mark.parametrize(
    ("counts", "row", "nav"),
    [
        (None, "", ""),
        (Counts(total=4), "", ""),
        (Counts(total=4, in_progress=1), "0 of 4 done", "0%"),
        (Counts(total=4, done=1, skipped=1), "1 of 4 done", "33%"),
        (Counts(total=4, done=3, skipped=1), "3 of 4 done", "✓"),
    ],
)
def test_phase_figures(counts, row, nav):
    row_html = parts.phase_row_html(7, counts)
    nav_html = parts.phase_nav_html(7, counts)
    assert 'id="ovp-7"' in row_html and 'id="nvp-7"' in nav_html
    assert re.sub(r"<[^>]+>", "", row_html) == row
    visible = re.sub(r'<span class="sr-only">[^<]*</span>|<[^>]+>', "", nav_html)
    assert visible == nav
    complete = bool(counts and counts.is_complete)
    assert ("ovp--done" in row_html) is complete
    assert ("nvp--done" in nav_html) is complete
