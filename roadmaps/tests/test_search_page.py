"""The /search/ page (roadmaps/views.py: search, roadmaps/search_pages.py): pages with an honest
total, links between pages, pages past the end, the stored page for visitors without a
session, and typo tolerance on both databases."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from roadmaps.models import Roadmap, Topic
from roadmaps.search import roadmap_search
from roadmaps.search_vocabulary import corrected_terms
from roadmaps.tests.factories import PhaseFactory, RoadmapFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def hit_titles(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r'class="hit__title"[^>]*>(.*?)</a>', html)
    ]


@pytest.fixture
def many_items(make_roadmap):
    # 183 items whose title says "docker": more than the old silent cap of 50 per kind.
    roadmap = make_roadmap(slug="containers", phases=3, sections=3, topics=183)
    Topic.objects.filter(roadmap=roadmap).update(title="Docker item")
    return roadmap


def test_pages_carry_an_honest_total_and_links(client, many_items):
    first = client.get("/search/?q=docker").content.decode()
    assert "183 results for “docker”, 1\u201320 shown (page 1 of 10)." in first
    assert len(hit_titles(first)) == 20
    assert 'rel="next" href="/search/?q=docker&amp;page=2"' in first
    assert 'rel="prev"' not in first
    last = client.get("/search/?q=docker&page=10").content.decode()
    assert "183 results for “docker”, 181\u2013183 shown (page 10 of 10)." in last
    assert len(hit_titles(last)) == 3
    assert 'rel="prev" href="/search/?q=docker&amp;page=9"' in last
    assert 'rel="next"' not in last
    second = client.get("/search/?q=docker&page=2").content.decode()
    assert 'rel="prev" href="/search/?q=docker"' in second  # page 1 has the plain address
    assert 'aria-current="page"><span class="sr-only">Page </span>2</a>' in second
    assert "(continued)" in second  # the roadmap's hits began on page 1


def test_every_hit_is_on_exactly_one_page(many_items):
    seen = []
    for page in range(1, 11):
        results = roadmap_search(query="docker", user=None, page=page)
        seen += [(hit.url, hit.kind) for hit in results.hits]
    assert len(seen) == len(set(seen)) == 183


def test_a_page_past_the_end_says_where_the_results_end(client, many_items):
    response = client.get("/search/?q=docker&page=40")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is no page 40: the 183 results for “docker” end on page 10." in body
    assert 'href="?q=docker&amp;page=10"' in body
    assert hit_titles(body) == []


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1e3", "\uff19"])
def test_a_page_that_is_not_a_positive_number_is_page_one(client, many_items, page):
    body = client.get("/search/", {"q": "docker", "page": page}).content.decode()
    assert "(page 1 of 10)" in body


def test_a_huge_page_number_is_read_as_the_last_page_searched(client, many_items):
    # As the catalog's pager reads it (common.pager), without converting 5,000 digits.
    body = client.get("/search/", {"q": "docker", "page": "9" * 5000}).content.decode()
    assert "There is no page 1000: the 183 results for “docker” end on page 10." in body


def test_single_page_has_no_pager(client, flask_roadmap):
    body = client.get("/search/?q=jwt").content.decode()
    assert "3 results for “jwt”." in body
    assert 'class="pager"' not in body


def test_stored_page_is_the_rendered_page_and_follows_edits(
    client, many_items, django_assert_max_num_queries
):
    first = client.get("/search/?q=docker")
    # The stored answer: one query for the catalog stamp, no search, no template.
    with django_assert_max_num_queries(1):
        again = client.get("/search/?q=docker")
    assert again.content == first.content
    topic = Topic.objects.filter(roadmap=many_items).first()
    Topic.objects.filter(pk=topic.pk).update(title="Podman item")
    Roadmap.objects.filter(pk=many_items.pk).bump_content_version()  # as every content write does
    after = client.get("/search/?q=docker").content.decode()
    assert "182 results" in after


def test_learners_get_a_rendered_page_with_drafts_hidden(client, learner, editor, many_items):
    Roadmap.objects.filter(pk=many_items.pk).update(status=Roadmap.Status.DRAFT)
    client.force_login(learner)
    assert "No results for “docker”." in client.get("/search/?q=docker").content.decode()
    client.force_login(editor)
    assert "183 results" in client.get("/search/?q=docker").content.decode()


def test_query_is_escaped_everywhere(client, flask_roadmap):
    body = client.get("/search/", {"q": '<script>alert("x")</script> jwt'}).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body


# --- Typo tolerance ----------------------------------------------------------------------------


@pytest.fixture
def celery_roadmap(db):
    roadmap = RoadmapFactory(slug="tasks", title="Background tasks")
    section = SectionFactory(phase=PhaseFactory(roadmap=roadmap, title="Queues"), title="Workers")
    TopicFactory(section=section, key="celery", title="Celery", summary="Task queue")
    TopicFactory(section=section, key="cells", title="Cells and tables", summary="Spreadsheets")
    return roadmap


def test_a_typo_still_finds_the_item(client, celery_roadmap):
    results = roadmap_search(query="celry", user=None)
    assert results.close_matches
    assert results.hits[0].title == "Celery"
    body = client.get("/search/?q=celry").content.decode()
    assert "No exact matches for “celry”." in body
    assert hit_titles(body)[0] == "Celery"


def test_exact_matches_never_show_close_ones(celery_roadmap):
    results = roadmap_search(query="celery", user=None)
    assert not results.close_matches
    assert [hit.title for hit in results.hits] == ["Celery"]


def test_nonsense_finds_nothing(celery_roadmap):
    results = roadmap_search(query="zqxwv", user=None)
    assert (results.total, results.close_matches) == (0, False)


@pytest.mark.parametrize("query", ["c", "ce"])
def test_a_letter_or_two_is_not_guessed_at(celery_roadmap, query):
    # "c" is a prefix of Celery on PostgreSQL; nothing else is guessed from so little.
    assert not roadmap_search(query=query, user=None).close_matches


def test_drafts_never_feed_close_matches(celery_roadmap):
    RoadmapFactory(slug="secret", title="Kubernetes draft", status=Roadmap.Status.DRAFT)
    assert roadmap_search(query="kubernets", user=None).total == 0


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_sqlite_corrects_words_against_published_titles(client, celery_roadmap):
    assert corrected_terms(["celry", "task"]) == ["celery", "task"]
    assert corrected_terms(["qq"]) == ["qq"]  # too short to guess
    results = roadmap_search(query="celry", user=None)
    assert results.corrected == "celery"
    body = client.get("/search/?q=celry").content.decode()
    assert "Showing results for “celery”" in body


@pytest.mark.services
def test_postgres_close_matches_by_trigram(require_postgres, celery_roadmap):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
    results = roadmap_search(query="celry", user=None)
    assert results.close_matches and results.corrected == ""
    # "Cells and tables" is as close by word similarity; the whole title breaks the tie.
    assert [hit.title for hit in results.hits][:1] == ["Celery"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_postgres_close_matches_use_the_trigram_indexes(require_postgres, celery_roadmap):
    from roadmaps.search_targets import TARGETS

    for target in TARGETS:
        rows = target.model._default_manager.filter(title__trigram_word_similar="celry")
        sql, params = rows.order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
        assert f"{target.model._meta.db_table}_title_trgm" in plan, plan
