"""Prepared parts spliced into a rendered page (common/splice.py)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from common.splice import splice, splice_later


def test_parts_replace_their_placeholders(rf):
    request = rf.get("/")
    first = splice_later(request, [b"<p>one", b"</p>"])
    second = splice_later(request, [b"two"])
    page = HttpResponse(f"<main>{first}|{second}</main>")
    assert splice(request, page).content == b"<main><p>one</p>|two</main>"
    # Done once: a second call finds nothing pending and changes nothing.
    assert splice(request, page).content == b"<main><p>one</p>|two</main>"


def test_text_looking_like_a_placeholder_is_left_alone(rf):
    request = rf.get("/")
    placeholder = splice_later(request, [b"PART"])
    # A visitor's text cannot guess the 64 random bits of the real placeholder.
    page = HttpResponse(f"<!--splice:0000000000000000-->{placeholder}")
    assert splice(request, page).content == b"<!--splice:0000000000000000-->PART"


def test_a_lost_placeholder_is_an_error_not_a_page_without_its_content(rf):
    request = rf.get("/")
    splice_later(request, [b"PART"])
    with pytest.raises(ValueError, match="placeholder"):
        splice(request, HttpResponse("<main></main>"))


def test_the_learners_page_has_its_content_in_place_with_the_right_length(
    client, learner, flask_roadmap
):
    client.force_login(learner)
    for _ in range(2):  # rendered with the content stored, then from what is kept
        response = client.get(flask_roadmap.get_absolute_url())
        html = response.content.decode()
        assert "<!--splice:" not in html
        assert html.count('<div class="pc"') == 173
        assert int(response["Content-Length"]) == len(response.content)
