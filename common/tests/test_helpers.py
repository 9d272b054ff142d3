"""common/: the helpers every app may use."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from common.api_pages import page_links
from common.languages import LANGUAGE_NAMES, language_name
from common.search_terms import search_terms
from common.site import absolute_url


def test_search_terms_keep_letters_and_digits_only():
    assert search_terms("  Docker   Compose!! ") == ["docker", "compose"]
    assert search_terms("jwt & (refresh | token):*") == ["jwt", "refresh", "token"]
    assert search_terms("") == []
    assert search_terms("!!! ---") == []
    assert search_terms("oauth2 OAuth2") == ["oauth2"]
    assert len(search_terms("a b c d e f g h i j k")) == 8


def test_language_name_falls_back_to_the_code():
    assert LANGUAGE_NAMES["hi"] == "Hindi"
    assert language_name("en") == "English"
    assert language_name("xx") == "XX"


@override_settings(SITE_URL="https://roadmaps.example.org")
def test_absolute_url_is_on_site_url():
    assert absolute_url("/roadmaps/flask/") == "https://roadmaps.example.org/roadmaps/flask/"


@pytest.mark.parametrize(
    ("page", "count", "links"),
    [
        (1, 0, (None, None)),
        (1, 2, (None, None)),
        (1, 3, ("page=2", None)),
        (2, 4, (None, "page=1")),
        (2, 5, ("page=3", "page=1")),
        (9, 5, (None, "page=3")),  # past the end: back to the last page
    ],
)
@override_settings(SITE_URL="https://roadmaps.example.org")
def test_page_links_at_the_ends_and_in_between(page, count, links):
    request = RequestFactory().get(f"/api/v1/things?page={page}&kind=a+b")
    found = page_links(request, page=page, page_size=2, count=count)
    expected = [
        f"https://roadmaps.example.org/api/v1/things?{query}&kind=a+b" if query else None
        for query in links
    ]
    assert [found["next"], found["previous"]] == expected
