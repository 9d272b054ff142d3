"""The catalog in pages (`roadmaps.views.catalog`, `common.pager`, the stored pages of
`roadmaps.pages`) and the API's catalog paging the same way."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from roadmaps import pages
from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Roadmap
from roadmaps.querysets import CATALOG_PAGE_SIZE
from roadmaps.tests.factories import RoadmapFactory

CARD = re.compile(r'<h2 class="card__title"><a href="/roadmaps/([^/]+)/">')


@pytest.fixture
def many(db) -> list[str]:
    """50 published roadmaps (three pages: 24, 24, 2), slugs in catalog order; every third is
    in the Frontend category (17 of them: one page)."""
    for n in range(50):
        RoadmapFactory(
            slug=f"map-{n:02}",
            title=f"Map {n:02}",
            category="Frontend" if n % 3 == 0 else "Backend",
        )
    return [f"map-{n:02}" for n in range(50)]


def slugs(response) -> list[str]:
    return CARD.findall(response.content.decode())


def pager_links(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="pager" aria-label="Pages of roadmaps">(.*?)</nav>', html, re.S)
    assert nav, "no pager"
    return re.findall(
        r'<a class="pager__link[^"]*"(?: rel="\w+")? href="([^"]*)"[^>]*>(.*?)</a>', nav[1]
    )


def test_pages_one_two_and_last(client, many):
    first = client.get("/")
    assert slugs(first) == many[:24]
    html = first.content.decode()
    assert "50 roadmaps. Showing 1–24, page 1 of 3." in html  # noqa: RUF001
    assert 'rel="prev"' not in html
    assert '<a class="pager__link" rel="next" href="/?page=2">' in html
    assert '<a class="pager__link pager__number" href="/" aria-current="page">' in html

    second = client.get("/?page=2")
    assert slugs(second) == many[24:48]
    html = second.content.decode()
    assert '<a class="pager__link" rel="prev" href="/">' in html  # page 1 is the catalog itself
    assert '<a class="pager__link" rel="next" href="/?page=3">' in html
    assert 'href="/?page=2" aria-current="page"' in html
    assert '<link rel="canonical" href="http' in html and '/?page=2">' in html

    last = client.get("/?page=3")
    assert slugs(last) == many[48:]
    assert 'rel="next"' not in last.content.decode()


@pytest.mark.parametrize(
    ("page", "shown"), [("abc", 1), ("0", 1), ("-1", 1), ("2.0", 1), ("99", 3), ("9" * 400, 3)]
)
def test_garbage_and_out_of_range_pages_are_clamped(client, many, page, shown):
    response = client.get("/", {"page": page})
    assert response.status_code == 200
    assert slugs(response) == many[(shown - 1) * 24 : shown * 24]
    html = response.content.decode()
    assert f"page {shown} of 3." in html
    # The canonical address names the page really shown, never the clamped one.
    assert html.count('rel="canonical"') == 1
    assert ("?page=3" in html.split('rel="canonical"')[1][:80]) == (shown == 3)


def test_filters_are_kept_across_pages(client, many):
    RoadmapFactory.create_batch(10, category="Frontend")  # 27 in Frontend: two pages
    first = client.get("/", {"category": "Frontend", "q": "map"}).content.decode()
    assert "27 roadmaps match your filters. Showing 1–24, page 1 of 2." in first  # noqa: RUF001
    assert ("/?category=Frontend&amp;q=map&amp;page=2", "2") in [
        (href, text.rsplit(">", 1)[-1]) for href, text in pager_links(first)
    ]
    assert '<a class="pager__link" rel="next" href="/?category=Frontend&amp;q=map&amp;page=2">' in (
        first
    )
    second = client.get("/?category=Frontend&q=map&page=2")
    assert len(slugs(second)) == 27 - 24
    html = second.content.decode()
    assert '<a class="pager__link" rel="prev" href="/?category=Frontend&amp;q=map">' in html
    # The filter form starts again at page 1: it carries no page number.
    assert 'name="page"' not in html


def test_pager_markup_with_ellipsis(client, db):
    for n in range(24 * 9):
        RoadmapFactory(slug=f"r-{n:03}", title=f"R {n:03}")
    html = client.get("/?page=5").content.decode()
    number = r'class="pager__link pager__number" href="[^"]*"[^>]*><span class="sr-only">Page '
    numbers = re.findall(number + r"</span>(\d+)</a>", html)
    assert numbers == ["1", "4", "5", "6", "9"]
    assert html.count('<li class="pager__gap" aria-hidden="true">…</li>') == 2
    nav = html.split('aria-label="Pages of roadmaps"')[1].split("</nav>")[0]
    assert nav.count('aria-current="page"') == 1
    assert '<ul class="pager__list" role="list">' in html


def test_an_empty_catalog_has_no_pager(client, db):
    html = client.get("/?page=4").content.decode()
    assert "No roadmaps match" in html
    assert "pager" not in html.split("<main", 1)[1]


def test_each_page_is_stored_and_an_edit_shows_on_the_next_request(
    client, many, django_assert_num_queries
):
    # Rendered once per stamp and page: the stamp, categories, popular tags, the count, the
    # cards, their tags.
    with django_assert_num_queries(6):
        second = client.get("/?page=2").content
    with django_assert_num_queries(1):  # the stamp only
        assert client.get("/?page=2").content == second
    with django_assert_num_queries(6):  # page 1 is stored on its own
        first = client.get("/").content
    assert first != second
    with django_assert_num_queries(1):  # garbage reads as page 1, which is stored
        assert client.get("/?page=zzz").content == first
    last = client.get("/?page=3").content
    with django_assert_num_queries(1):  # past the end: the stored last page
        assert client.get("/?page=7").content == last

    roadmap = Roadmap.objects.get(slug="map-30")
    roadmap.title = "Map 30 <renamed>"
    roadmap.save()
    roadmap_content_changed(roadmaps=[roadmap], message="rename")
    html = client.get("/?page=2").content.decode()
    assert "Map 30 &lt;renamed&gt;" in html


def test_pages_past_the_stored_bound_are_rendered(
    client, many, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(pages, "MAX_STORED_CATALOG_PAGES", 1)
    client.get("/")
    with django_assert_num_queries(1):
        client.get("/")
    for _ in range(2):  # the stamp, categories, tags, the count, cards, their tags: every time
        with django_assert_num_queries(6):
            assert slugs(client.get("/?page=2")) == many[24:48]


def test_api_pages_list_the_same_roadmaps_as_the_site(client, many):
    assert CATALOG_PAGE_SIZE == 24
    for number in (1, 2, 3):
        site = slugs(client.get("/", {"page": number}))
        body = client.get(reverse("api-v1:roadmap_list"), {"page": number}).json()
        assert [item["slug"] for item in body["items"]] == site
        assert body["count"] == 50
