"""The Flask page's size (issue 12): at most 150 KB uncompressed and 40 KB gzipped, anonymous
or signed in with progress in every phase, with every item and its three buttons on the page.
Sizes, not times: the bytes sent are what the page costs every learner on every visit."""

from __future__ import annotations

import gzip
import re

from progress.services import progress_set_many

MAX_PLAIN = 150_000
MAX_GZIP = 40_000
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


def _sizes(client, url: str) -> tuple[str, int, int]:
    plain = client.get(url).content
    zipped = client.get(url, **GZIP).content
    return plain.decode(), len(plain), len(zipped)


def _every_item_usable(html: str, count: int) -> None:
    assert html.count('id="topic-') == count
    # Each item's three buttons post the page's one form without JavaScript.
    buttons = r'<button name="[\w-]+" value="[a-z_]+" aria-pressed="(?:true|false)">'
    assert len(re.findall(buttons, html)) == 3 * count
    assert '<form class="roadmap-body" id="pcf" method="post"' in html


def test_the_anonymous_flask_page_is_small(client, flask_roadmap):
    html, plain, zipped = _sizes(client, "/roadmaps/flask/")
    _every_item_usable(html, 173)
    assert plain <= MAX_PLAIN, f"anonymous: {plain} bytes"
    assert zipped <= MAX_GZIP, f"anonymous: {zipped} bytes gzipped"


def test_a_learners_flask_page_is_small_with_progress_in_every_phase(
    client, learner, flask_roadmap
):
    keys = list(flask_roadmap.topics.values_list("key", flat=True))
    states = ["done", "in_progress", "skipped"]
    progress_set_many(
        user=learner,
        roadmap=flask_roadmap,
        statuses={key: states[n % 3] for n, key in enumerate(keys[::2])},
    )
    client.force_login(learner)
    html, plain, _ = _sizes(client, "/roadmaps/flask/")
    # A page with a learner's CSRF token and marks is sent as it is (common.compress keeps
    # secrets out of compression); this is what it would weigh compressed.
    zipped = len(gzip.compress(html.encode(), 6))
    _every_item_usable(html, 173)
    # Every phase shows its bar, its overview figures and its navigator figure.
    assert html.count('class="pg-phase__counts"') == 17
    figures = r'<span class="ovp[^"]*" id="ovp-\d+">\d+ of \d+ done</span>'
    assert len(re.findall(figures, html)) == 17
    assert plain <= MAX_PLAIN, f"signed in: {plain} bytes"
    assert zipped <= MAX_GZIP, f"signed in: {zipped} bytes gzipped"
