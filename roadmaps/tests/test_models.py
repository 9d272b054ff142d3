from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Level, Roadmap
from roadmaps.ordering import renumber
from roadmaps.tests.factories import PhaseFactory, ResourceFactory, RoadmapFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.com/f", "//x.com"]
)
def test_resource_url_must_be_http_or_https(url):
    resource = ResourceFactory.build(roadmap=RoadmapFactory(), url=url)
    with pytest.raises(ValidationError) as raised:
        resource.full_clean()
    assert "url" in raised.value.message_dict


def test_resource_accepts_https():
    resource = ResourceFactory.build(
        roadmap=RoadmapFactory(), url="https://flask.palletsprojects.com/"
    )
    resource.full_clean()


def test_topic_key_is_unique_within_a_roadmap_only():
    topic = TopicFactory(key="jwt")
    TopicFactory(key="jwt")  # another roadmap
    with pytest.raises(IntegrityError):
        TopicFactory(key="jwt", section=topic.section)


def test_published_queryset_and_publish_time():
    draft = RoadmapFactory(status=Roadmap.Status.DRAFT)
    published = RoadmapFactory(status=Roadmap.Status.PUBLISHED)
    assert list(Roadmap.objects.published()) == [published]
    assert draft.published_at is None and published.published_at is not None


def test_renumber_makes_positions_dense_without_touching_keys():
    roadmap = RoadmapFactory()
    phases = [PhaseFactory(roadmap=roadmap, position=p) for p in (3, 7, 20)]
    assert renumber(roadmap.phases.order_by("position")) == 3
    assert [p.position for p in roadmap.phases.order_by("position")] == [0, 1, 2]
    assert renumber(roadmap.phases.order_by("position")) == 0
    assert [p.pk for p in roadmap.phases.order_by("position")] == [p.pk for p in phases]


def test_child_edit_said_out_loud_bumps_roadmap_updated_at_and_version():
    # Saves have no side effects of their own: writers call roadmap_content_changed once.
    topic = TopicFactory()
    roadmap = Roadmap.objects.get(pk=topic.roadmap_id)
    topic.title = "Renamed"
    topic.save()
    assert Roadmap.objects.get(pk=roadmap.pk).content_version == roadmap.content_version
    roadmap_content_changed(roadmaps=[topic.roadmap_id])
    after = Roadmap.objects.get(pk=roadmap.pk)
    assert after.updated_at > roadmap.updated_at
    assert after.content_version == roadmap.content_version + 1


@pytest.fixture
def catalog_roadmaps():
    django = RoadmapFactory(
        slug="django", title="Django", category="Backend", summary="Web apps", description=""
    )
    PhaseFactory(roadmap=django, level="beginner", duration_min=0, duration_max=2)
    PhaseFactory(roadmap=django, level="advanced", duration_min=2, duration_max=7)
    react = RoadmapFactory(
        slug="react", title="React", category="Frontend", summary="UI", description="Hooks too"
    )
    PhaseFactory(
        roadmap=react, level="expert", duration_min=None, duration_max=None, duration_unit=""
    )
    RoadmapFactory(slug="draft", title="Django draft", status=Roadmap.Status.DRAFT)
    return django, react


def catalog_slugs(**filters) -> list[str]:
    return list(Roadmap.objects.catalog(**filters).values_list("slug", flat=True))


def test_catalog_filters_published_roadmaps_the_one_way(catalog_roadmaps):
    assert catalog_slugs() == ["django", "react"]
    assert catalog_slugs(ordering="-title") == ["react", "django"]
    assert catalog_slugs(category=" backend ") == ["django"]
    assert catalog_slugs(level="advanced") == ["django"]
    assert catalog_slugs(level="expert", category="Backend") == []
    # Every word must match, in any of title, summary, category or description.
    assert catalog_slugs(query="hooks") == ["react"]
    assert catalog_slugs(query="web, APPS!") == ["django"]
    assert catalog_slugs(query="web hooks") == []
    # A query without any word finds nothing, as the search does.
    assert catalog_slugs(query="?! %") == []
    assert catalog_slugs(query="   ") == ["django", "react"]


def test_level_range_and_duration_come_from_the_phases(catalog_roadmaps):
    figures = {
        roadmap.slug: (roadmap.level_range, roadmap.duration_months)
        for roadmap in Roadmap.objects.with_level_and_duration()
    }
    assert figures == {
        "django": ((Level.BEGINNER, Level.ADVANCED), 7),
        "react": ((Level.EXPERT, Level.EXPERT), None),
        "draft": (None, None),
    }
    # Without the annotation there is nothing to show, rather than a wrong figure.
    plain = Roadmap.objects.get(slug="django")
    assert (plain.level_range, plain.duration_months) == (None, None)
