"""common/: the helpers every app may use."""

from __future__ import annotations

from django.test import override_settings

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
