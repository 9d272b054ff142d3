"""common/pager.py: which page a request asks for and which numbers the pager names."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from common.pager import Pager, page_number, page_window


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 1),
        ("", 1),
        ("2", 2),
        (" 3 ", 3),
        ("0", 1),  # below the first page: clamped
        ("-2", 1),  # not a whole number
        ("abc", 1),
        ("2.5", 1),
        ("1e3", 1),
        ("٣", 1),  # a digit, but not an ASCII one
        ("7", 5),  # past the end: the last page
        ("9" * 5000, 5),  # huge: the last page, without converting it
    ],
)
def test_page_number(raw, expected):
    assert page_number(raw, last=5) == expected


@pytest.mark.parametrize(
    ("number", "last", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 5, [1, 2, None, 5]),
        (3, 5, [1, 2, 3, 4, 5]),
        (4, 10, [1, 2, 3, 4, 5, None, 10]),  # a gap of one shows the number
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (10, 10, [1, None, 9, 10]),
    ],
)
def test_page_window(number, last, window):
    assert page_window(number, last) == window


def test_links_keep_the_filters_and_page_one_has_no_page_parameter():
    request = RequestFactory().get("/", {"category": "Web & API", "page": "2", "q": "a<b"})
    pager = Pager.for_request(request, count=240, size=24)
    assert (pager.number, pager.last, pager.start) == (2, 10, 24)
    assert (pager.first_shown, pager.last_shown) == (25, 48)
    assert pager.previous_href == "/?category=Web+%26+API&q=a%3Cb"
    assert pager.next_href == "/?category=Web+%26+API&q=a%3Cb&page=3"
    assert [(link.number, link.current) for link in pager.links] == [
        (1, False),
        (2, True),
        (3, False),
        (None, False),
        (10, False),
    ]


def test_an_empty_list_has_one_page():
    pager = Pager.for_request(RequestFactory().get("/", {"page": "3"}), count=0, size=24)
    assert (pager.number, pager.last, pager.has_other_pages) == (1, 1, False)
    assert (pager.first_shown, pager.last_shown) == (0, 0)
    assert pager.previous_href == pager.next_href == ""
