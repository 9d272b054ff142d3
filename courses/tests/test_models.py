"""Courses: the database refuses bad rows with the editors' messages; the read rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from courses.models import Course
from courses.tests.factories import CourseCategoryFactory, CourseFactory
from roadmaps.models import LinkStatus
from roadmaps.tests.factories import RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "starting with http:// or https://"),
        ("url", "ftp://files.example.com/course", "starting with http:// or https://"),
        ("language", "aiagents", "Choose one of the site's languages."),
        ("language", "xx", "Choose one of the site's languages."),
        ("level", "expert", "Choose beginner, intermediate or advanced."),
        ("rating", 6, "A rating goes from 0 to 5."),
        ("title", "", "Give the course a title."),
    ],
)
def test_the_database_refuses_bad_values(field, value, message):
    course = CourseFactory.build(category=CourseCategoryFactory(), **{field: value})
    with pytest.raises(ValidationError) as refused:
        course.validate_constraints()
    assert message in str(refused.value)
    # A writer that skips validation still cannot store it (PostgreSQL refuses an over-long
    # language code for its length before the check constraint sees it).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        course.save()
    assert not Course.objects.exists()


def test_keys_are_unique():
    CourseFactory(key="flask-basics")
    duplicate = CourseFactory.build(key="flask-basics", category=CourseCategoryFactory())
    with pytest.raises(ValidationError, match=r"Another course already uses this key\."):
        duplicate.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_full_clean_refuses_a_url_without_http():
    course = CourseFactory.build(url="javascript:alert(1)", category=CourseCategoryFactory())
    with pytest.raises(ValidationError) as refused:
        course.full_clean()
    assert refused.value.message_dict["url"] == [
        "Enter a full web address starting with http:// or https://."
    ]


def test_learners_see_published_courses_with_working_links_editors_see_broken_ones(learner, editor):
    shown = CourseFactory(title="Shown")
    CourseFactory(title="Hidden", is_published=False)
    broken = CourseFactory(title="Broken")
    LinkStatus.objects.create(url=broken.url, result="broken", confirmed_broken=True)
    assert [c.title for c in Course.objects.visible_to(learner)] == ["Shown"]
    assert [c.title for c in Course.objects.visible_to(None)] == [shown.title]
    seen = {c.title: c.link_broken for c in Course.objects.visible_to(editor)}
    assert seen == {"Broken": True, "Shown": False}
    # An editor accepting the link makes it visible again.
    LinkStatus.objects.filter(url=broken.url).update(override=LinkStatus.Override.ACCEPTED)
    assert {c.title for c in Course.objects.visible_to(learner)} == {"Broken", "Shown"}


def test_catalog_filters_and_order():
    data = CourseCategoryFactory(slug="data", name="Data")
    CourseFactory(title="B web en", language="en", level="beginner")
    CourseFactory(title="A web hi", language="hi", level="advanced", position=1)
    CourseFactory(title="Z data hi", language="hi", level="beginner", category=data, featured=True)

    def titles(**filters):
        return [c.title for c in Course.objects.published().catalog(**filters)]

    # Featured first, then by position, then title.
    assert titles() == ["Z data hi", "B web en", "A web hi"]
    assert titles(language="hi") == ["Z data hi", "A web hi"]
    assert titles(category="data") == ["Z data hi"]
    assert titles(level="beginner", language="hi") == ["Z data hi"]
    assert titles(category="web-development", level="advanced") == ["A web hi"]
    assert titles(category="nope") == []


def test_roadmap_links_and_published_roadmaps(django_assert_num_queries):
    flask = RoadmapFactory(slug="flask", title="Flask")
    draft = RoadmapFactory(slug="draft", title="Draft", status="draft")
    course = CourseFactory(roadmaps=[flask, draft])
    assert list(Course.objects.for_roadmap(flask)) == [course]
    assert list(Course.objects.for_roadmap(draft.pk)) == [course]
    with django_assert_num_queries(2):  # the courses, then their published roadmaps
        loaded = list(Course.objects.with_roadmaps())
    assert [r.slug for r in loaded[0].published_roadmaps] == ["flask"]
    assert list(flask.courses.all()) == [course]
