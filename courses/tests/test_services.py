"""courses_import: the entry point for importers (upsert by key, all or nothing)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from urllib.parse import quote

import pytest

from courses.models import Course, CourseCategory
from courses.services import CourseData, CourseImportError, courses_import
from courses.tests.factories import CourseFactory, version_of
from roadmaps.tests.factories import RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmaps():
    return RoadmapFactory(slug="flask", title="Flask"), RoadmapFactory(
        slug="django", title="Django"
    )


def course_data(key: str = "flask-hindi", **changes) -> CourseData:
    data = CourseData(
        key=key,
        title="Flask in Hindi",
        url=f"https://www.youtube.com/playlist?list={quote(key)}",
        language="hi",
        level="beginner",
        category="Web Development",
        channel="Code Channel",
        rating=4.7,
        badge="Bestseller",
        roadmaps=("flask",),
    )
    return replace(data, **changes)


def test_import_creates_courses_categories_and_roadmap_links(
    roadmaps, queued_links, django_capture_on_commit_callbacks
):
    flask, django = roadmaps
    with django_capture_on_commit_callbacks(execute=True):
        report = courses_import(
            courses=[
                course_data(),
                course_data(
                    "django-basics",
                    title="Django",
                    language="en",
                    category="Backend Basics",
                    roadmaps=("flask", "django"),
                ),
                course_data("data-101", title="Data 101", category="Data", roadmaps=()),
            ]
        )
    assert report.created == ["flask-hindi", "django-basics", "data-101"]
    assert report.updated == [] and report.unchanged == 0
    assert report.categories_created == ["Backend Basics", "Data", "Web Development"]
    assert sorted(CourseCategory.objects.values_list("slug", flat=True)) == [
        "backend-basics",
        "data",
        "web-development",
    ]
    course = Course.objects.get(key="flask-hindi")
    assert (course.title, course.channel, course.language, course.level) == (
        "Flask in Hindi",
        "Code Channel",
        "hi",
        "beginner",
    )
    assert (course.rating, course.badge, course.category.name) == (
        Decimal("4.7"),
        "Bestseller",
        "Web Development",
    )
    assert list(course.roadmaps.all()) == [flask]
    assert sorted(
        Course.objects.get(key="django-basics").roadmaps.values_list("slug", flat=True)
    ) == ["django", "flask"]
    # Both roadmaps show new courses: their content moved on once; every URL goes to the checker.
    assert (version_of(flask), version_of(django)) == (2, 2)
    assert sorted(queued_links) == sorted(
        f"https://www.youtube.com/playlist?list={key}"
        for key in ("flask-hindi", "django-basics", "data-101")
    )


def test_import_again_changes_nothing(
    roadmaps, queued_links, django_capture_on_commit_callbacks, django_assert_num_queries
):
    flask, _ = roadmaps
    courses = [course_data(), course_data("second", category="Data")]
    courses_import(courses=courses)
    before = version_of(flask)
    queued_links.clear()
    # roadmaps, categories, courses by key, course ids, their roadmap links, plus the savepoint
    # of the import's transaction and its release: no write at all
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(5 + 2):
        report = courses_import(courses=courses)
    assert (report.created, report.updated, report.unchanged) == ([], [], 2)
    assert report.categories_created == []
    assert Course.objects.count() == 2
    assert version_of(flask) == before
    assert queued_links == []


def test_import_updates_by_key_and_relinks(
    roadmaps, queued_links, django_capture_on_commit_callbacks
):
    flask, django = roadmaps
    courses_import(courses=[course_data(), course_data("other")])
    original = Course.objects.get(key="flask-hindi")
    versions = version_of(flask), version_of(django)
    with django_capture_on_commit_callbacks(execute=True):
        report = courses_import(
            courses=[
                course_data(title="Flask in Hindi, 2026", url="https://videos.example.com/flask"),
                course_data("other", roadmaps=("django",)),
            ]
        )
    assert report.updated == ["flask-hindi", "other"]
    assert report.created == [] and report.unchanged == 0
    course = Course.objects.get(key="flask-hindi")
    assert course.pk == original.pk
    assert course.title == "Flask in Hindi, 2026"
    assert list(Course.objects.get(key="other").roadmaps.values_list("slug", flat=True)) == [
        "django"
    ]
    # Flask lost a course and had one renamed; Django gained one.
    assert version_of(flask) == versions[0] + 1
    assert version_of(django) == versions[1] + 1
    assert queued_links == ["https://videos.example.com/flask"]


def test_courses_not_in_the_list_are_left_alone(roadmaps):
    kept = CourseFactory(key="by-an-editor")
    courses_import(courses=[course_data()])
    assert Course.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"language": "aiagents"}, "language 'aiagents' is not a language code (one of bn, de, en"),
        ({"url": "#"}, "url '#' is not a full http:// or https:// address"),
        ({"url": "javascript:alert(1)"}, "is not a full http:// or https:// address"),
        (
            {"level": "all-levels"},
            "level 'all-levels' is not one of beginner, intermediate, advanced",
        ),
        ({"rating": 9.5}, "rating 9.5 is not between 0 and 5"),
        ({"rating": float("nan")}, "rating nan is not between 0 and 5"),
        ({"title": "  "}, "title is empty"),
        ({"category": "!!"}, "category '!!' has no letters or digits"),
        ({"roadmaps": ("nope",)}, "roadmap 'nope' does not exist"),
        ({"key": "Not A Key"}, "key 'Not A Key' is not lowercase letters, digits and hyphens"),
    ],
)
def test_a_bad_value_refuses_the_whole_import(roadmaps, changes, problem):
    with pytest.raises(CourseImportError) as refused:
        courses_import(courses=[course_data("good"), course_data(**{"key": "bad", **changes})])
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith("course 2 (")
    assert problem in refused.value.problems[0]
    assert not Course.objects.exists()
    assert not CourseCategory.objects.exists()


def test_every_problem_is_listed_once_including_duplicate_keys(roadmaps):
    with pytest.raises(CourseImportError) as refused:
        courses_import(
            courses=[
                course_data("same"),
                course_data("same", language="aiagents"),
                course_data("third", url="#"),
            ]
        )
    assert refused.value.problems == [
        "course 2 ('same'): key is used by course 1 too",
        "course 2 ('same'): language 'aiagents' is not a language code "
        "(one of bn, de, en, es, fr, hi, mr, pt, ta, te, ur)",
        "course 3 ('third'): url '#' is not a full http:// or https:// address",
    ]
    assert str(refused.value).count("\n") == 2


def test_an_existing_category_is_found_by_its_slug(roadmaps):
    CourseCategory.objects.create(slug="web-development", name="Web development (renamed)")
    report = courses_import(courses=[course_data(category="Web Development")])
    assert report.categories_created == []
    assert Course.objects.get().category.name == "Web development (renamed)"
