"""roadmaps/search.py: roadmap_search on SQLite (fallback) and PostgreSQL (full-text, GIN)."""

from __future__ import annotations

import pytest
from django.db import connection

from roadmaps.models import LinkStatus, Resource, Roadmap, Topic
from roadmaps.search import SearchGroup, roadmap_search
from roadmaps.tests.factories import (
    PhaseFactory,
    ResourceFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def hits_of(groups: list[SearchGroup], slug: str = "flask") -> list[tuple[str, str, str]]:
    for group in groups:
        if group.roadmap.slug == slug:
            return [(hit.kind, hit.title, hit.url) for hit in group.hits]
    return []


def test_empty_query_finds_nothing(flask_roadmap):
    for query in ["", "   ?! "]:
        results = roadmap_search(query=query, user=None)
        assert (results.groups, results.total, results.page_count) == ([], 0, 1)


def _assert_seed_queries(flask_roadmap) -> None:
    jwt = hits_of(roadmap_search(query="jwt", user=None).groups)
    assert ("topic", "JWT authentication", "/roadmaps/flask/#topic-jwt-authentication") in jwt
    assert (
        "project",
        "Auth API with JWT + Refresh Token",
        "/roadmaps/flask/#topic-auth-api-with-jwt-plus-refresh-token",
    ) in jwt

    blueprints = hits_of(roadmap_search(query="blueprints", user=None).groups)
    assert ("section", "Blueprints", "/roadmaps/flask/#section-2-3") in blueprints

    compose = hits_of(roadmap_search(query="docker compose", user=None).groups)
    assert ("topic", "Docker compose", "/roadmaps/flask/#topic-docker-compose") in compose
    # Every word must match: "docker" alone would also find the Dockerfile item.
    assert all("compose" in title.lower() or kind == "resource" for kind, title, _url in compose)


def test_seed_queries_find_the_flask_items(flask_roadmap):
    _assert_seed_queries(flask_roadmap)


def test_hits_carry_context_snippet_and_rank(flask_roadmap):
    (group,) = roadmap_search(query="jwt", user=None).groups
    assert group.roadmap == flask_roadmap
    topic = next(hit for hit in group.hits if hit.title == "JWT authentication")
    assert topic.snippet == "Stateless token-based auth"
    assert topic.context == "Phase 4: Authentication & Authorization · Authentication"
    assert topic.rank > 0
    assert group.rank == max(hit.rank for hit in group.hits)
    ranks = [hit.rank for hit in group.hits]
    assert ranks == sorted(ranks, reverse=True)


def test_phase_and_resource_hits_jump_to_their_place():
    phase = PhaseFactory(title="Observability", summary="Watch production", position=3)
    roadmap = phase.roadmap
    topic = TopicFactory(section=SectionFactory(phase=phase), key="tracing", title="Tracing")
    ResourceFactory(roadmap=roadmap, topic=topic, title="OpenTelemetry guide", language="hi")
    ResourceFactory(roadmap=roadmap, phase=phase, title="Prometheus book", is_free=False)
    ResourceFactory(roadmap=roadmap, title="Site reliability handbook")

    assert hits_of(roadmap_search(query="observability", user=None).groups, roadmap.slug) == [
        ("phase", "Phase 3: Observability", f"/roadmaps/{roadmap.slug}/#phase-3")
    ]
    (hit,) = roadmap_search(query="opentelemetry", user=None).groups[0].hits
    assert (hit.kind, hit.url) == ("resource", f"/roadmaps/{roadmap.slug}/#topic-tracing")
    assert "Hindi" in hit.snippet
    (hit,) = roadmap_search(query="prometheus", user=None).groups[0].hits
    assert hit.url == f"/roadmaps/{roadmap.slug}/#phase-3"
    assert hit.snippet.endswith("Paid")
    (hit,) = roadmap_search(query="reliability", user=None).groups[0].hits
    assert hit.url == f"/roadmaps/{roadmap.slug}/#resources"


def test_groups_by_roadmap_best_first():
    strong = RoadmapFactory(title="Celery Roadmap", slug="celery")
    weak = RoadmapFactory(title="Python Roadmap", slug="python")
    TopicFactory(
        section=SectionFactory(phase=PhaseFactory(roadmap=weak)),
        title="Intro",
        summary="Celery basics",
    )
    TopicFactory(section=SectionFactory(phase=PhaseFactory(roadmap=strong)), title="Celery workers")
    groups = roadmap_search(query="celery", user=None).groups
    assert [group.roadmap.slug for group in groups] == ["celery", "python"]
    # Title matches outrank summary matches.
    assert groups[0].rank > groups[1].rank


def test_drafts_retired_items_and_hidden_links_stay_out_for_learners(learner, editor):
    draft = RoadmapFactory(slug="draft", status=Roadmap.Status.DRAFT, title="Kafka draft")
    published = RoadmapFactory(slug="live", title="Queues")
    section = SectionFactory(phase=PhaseFactory(roadmap=published))
    old = TopicFactory(section=section, key="old", title="Kafka old item")
    Topic.objects.filter(pk=old.pk).update(retired_at="2026-01-01T00:00:00Z")
    ResourceFactory(roadmap=published, title="Kafka dead link", url="https://dead.test/")
    LinkStatus.objects.create(url="https://dead.test/", result="broken", confirmed_broken=True)

    assert roadmap_search(query="kafka", user=learner).groups == []
    editor_groups = roadmap_search(query="kafka", user=editor).groups
    assert {group.roadmap.slug for group in editor_groups} == {draft.slug, published.slug}
    assert ("resource", "Kafka dead link") in [
        (hit.kind, hit.title) for group in editor_groups for hit in group.hits
    ]
    assert "Kafka old item" not in [hit.title for group in editor_groups for hit in group.hits]


def test_query_count_does_not_grow_with_matches(
    flask_roadmap, make_roadmap, django_assert_num_queries
):
    make_roadmap(slug="big", topics=500, phases=5, sections=10)
    # Roadmaps whose title matches; every match ranked (one statement on PostgreSQL, one per
    # table on SQLite); the page's rows: items only.
    ranked = 1 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(1 + ranked + 1):
        results = roadmap_search(query="item", user=None)
    assert results.total > 500 and len(results.hits) == 20
    # jwt: an item, a project and a resource on the page (items and projects are one table).
    with django_assert_num_queries(1 + ranked + 2):
        assert roadmap_search(query="jwt", user=None).total == 3


def test_hostile_queries_are_plain_words(flask_roadmap):
    for query in ["jwt:* | !x", "'; DROP TABLE roadmaps_topic; --", "a" * 5000, "<>&"]:
        assert roadmap_search(query=query, user=None).total >= 0  # must not raise
    assert Resource.objects.exists()


# --- PostgreSQL (service tier) ---------------------------------------------------------------


@pytest.mark.services
def test_postgres_full_text_finds_the_seed_items(require_postgres, flask_roadmap):
    assert connection.vendor == "postgresql"
    _assert_seed_queries(flask_roadmap)
    # Stemming: "authenticating" finds "authentication"; the last word is also a prefix.
    titles = [hit.title for hit in roadmap_search(query="authenticating", user=None).groups[0].hits]
    assert "JWT authentication" in titles
    prefix = [hit.title for hit in roadmap_search(query="bluepr", user=None).groups[0].hits]
    assert "Blueprints" in prefix


@pytest.mark.services
def test_postgres_ranks_title_matches_above_summary_matches(require_postgres):
    roadmap = RoadmapFactory(slug="ranked")
    section = SectionFactory(phase=PhaseFactory(roadmap=roadmap))
    TopicFactory(section=section, key="in-summary", title="Queues", summary="Using redis lists")
    TopicFactory(section=section, key="in-title", title="Redis caching", summary="Fast reads")
    (group,) = roadmap_search(query="redis", user=None).groups
    assert [hit.title for hit in group.hits][:2] == ["Redis caching", "Queues"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_postgres_search_uses_the_gin_indexes(require_postgres, flask_roadmap):
    """Each table's stored `search_document` (migration 0009) has a GIN index, and with
    sequential scans disabled the plan shows PostgreSQL can use it for the query search runs."""
    from roadmaps.search import TARGETS, StoredDocument, _tsquery

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'roadmaps_%%_document'"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "roadmaps_roadmap_document",
            "roadmaps_phase_document",
            "roadmaps_section_document",
            "roadmaps_topic_document",
            "roadmaps_resource_document",
        }
    for target in TARGETS:
        rows = (
            target.model._default_manager.annotate(document=StoredDocument())
            .filter(document=_tsquery(["jwt"]))
            .order_by()
        )
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
        assert f"{target.model._meta.db_table}_document" in plan, plan


@pytest.mark.services
def test_postgres_document_follows_writes(require_postgres, flask_roadmap):
    """The stored document is PostgreSQL's to keep: renaming an item is searchable at once."""
    Topic.objects.filter(roadmap=flask_roadmap, key="jwt-authentication").update(
        title="Bearer tokens"
    )
    titles = [hit.title for hit in roadmap_search(query="bearer", user=None).hits]
    assert titles == ["Bearer tokens"]


def test_a_roadmap_whose_title_matches_comes_first(make_roadmap):
    from roadmaps.models import Roadmap, Topic
    from roadmaps.search import roadmap_search

    mentions = make_roadmap(slug="aardvark", phases=1, sections=1, topics=5)
    Roadmap.objects.filter(pk=mentions.pk).update(title="Aardvark")
    Topic.objects.filter(roadmap=mentions).update(title="Python scripting", summary="Python")
    named = make_roadmap(slug="python", phases=1, sections=1, topics=2)
    Roadmap.objects.filter(pk=named.pk).update(title="Python Developer")
    groups = roadmap_search(query="python", user=None).groups
    assert [group.roadmap.slug for group in groups] == ["python", "aardvark"]


def test_a_large_import_refreshes_postgres_statistics(db, settings):
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    out = StringIO()
    call_command("import_roadmaps", str(settings.CONTENT_DIR / "flask.yaml"), stdout=out)
    refreshed = "Statistics refreshed (ANALYZE)" in out.getvalue()
    assert refreshed is (connection.vendor == "postgresql")  # 316 rows written, over 200
    out = StringIO()
    call_command("import_roadmaps", str(settings.CONTENT_DIR / "flask.yaml"), stdout=out)
    assert "Statistics refreshed" not in out.getvalue()  # unchanged: nothing to refresh
