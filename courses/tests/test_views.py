"""The /courses/ page and the courses section of a roadmap page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course
from courses.tests.factories import CourseCategoryFactory, CourseFactory
from roadmaps.changes import roadmap_pages_changed
from roadmaps.models import LinkStatus
from roadmaps.tests.factories import RoadmapFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [course.title for course in response.context["courses"]]


@pytest.fixture
def catalog():
    data = CourseCategoryFactory(slug="data", name="Data Science")
    flask = RoadmapFactory(slug="flask", title="Flask Roadmap")
    CourseFactory(
        title="Flask in Hindi",
        channel="Code Channel",
        language="hi",
        level="beginner",
        url="https://www.youtube.com/playlist?list=flask-hi",
        rating="4.7",
        badge="Bestseller",
        roadmaps=[flask],
    )
    CourseFactory(title="Advanced Flask", language="en", level="advanced", is_free=False)
    CourseFactory(title="Pandas", language="hi", level="intermediate", category=data)
    CourseFactory(title="Hidden draft", is_published=False)
    return flask


def test_card_shows_title_channel_language_level_and_link(client, catalog):
    response = client.get("/courses/")
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(response) == ["Advanced Flask", "Flask in Hindi", "Pandas"]
    assert (
        '<a href="https://www.youtube.com/playlist?list=flask-hi" rel="noopener noreferrer">'
        'Flask in Hindi<span class="sr-only"> (opens the course)</span></a>'
    ) in html
    assert '<p class="course-card__channel">Code Channel</p>' in html
    assert '<span class="sr-only">Language: </span>Hindi</span>' in html
    assert '<span class="sr-only">Level: </span>Beginner</span>' in html
    assert "Bestseller" in html and "4.7" in html and "Paid" in html
    assert 'For <a href="/roadmaps/flask/">Flask Roadmap</a>' in html
    assert "Hidden draft" not in html
    assert "3 courses." in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"language": "hi"}, ["Flask in Hindi", "Pandas"]),
        ({"language": "en"}, ["Advanced Flask"]),
        ({"level": "advanced"}, ["Advanced Flask"]),
        ({"category": "data"}, ["Pandas"]),
        ({"category": "web-development", "language": "hi"}, ["Flask in Hindi"]),
        ({"language": "hi", "level": "advanced"}, []),
        # Unknown values are ignored, not answered with an empty page.
        (
            {"language": "aiagents", "level": "expert", "category": "<b>"},
            ["Advanced Flask", "Flask in Hindi", "Pandas"],
        ),
    ],
)
def test_filters(client, catalog, query, expected):
    response = client.get("/courses/", query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_filter_form_offers_what_exists_and_keeps_the_choice(client, catalog):
    html = client.get("/courses/", {"language": "hi"}).content.decode()
    assert '<form class="filters" method="get" action="/courses/"' in html
    assert '<option value="hi" selected>Hindi</option>' in html
    assert '<option value="en">English</option>' in html
    assert '<option value="bn">' not in html  # no course in Bengali
    assert '<option value="data">Data Science</option>' in html
    assert "match your filters" in html
    assert 'href="/courses/">Clear</a>' in html


def test_no_match_says_so(client, catalog):
    html = client.get("/courses/", {"language": "hi", "level": "advanced"}).content.decode()
    assert "No courses match" in html


def test_pages_keep_the_filters(client, db):
    for index in range(30):
        CourseFactory(title=f"Course {index:02}", language="hi" if index % 2 else "en")
    response = client.get("/courses/", {"language": "hi"})
    assert len(titles(response)) == 15
    assert 'rel="next"' not in response.content.decode()
    CourseFactory.create_batch(20, language="hi")
    first = client.get("/courses/", {"language": "hi"}).content.decode()
    assert 'rel="next" href="?language=hi&amp;page=2"' in first
    second = client.get("/courses/", {"language": "hi", "page": "2"})
    assert len(titles(second)) == 35 - 24
    assert 'rel="prev" href="?language=hi&amp;page=1"' in second.content.decode()
    # A page past the end shows the last one; a page that is not a number, the first.
    assert client.get("/courses/", {"page": "99"}).context["page"].number == 3
    assert client.get("/courses/", {"page": "x"}).context["page"].number == 1


def test_titles_are_escaped(client, db):
    CourseFactory(title="<script>alert(1)</script>", channel="<b>chan</b>")
    html = client.get("/courses/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;chan&lt;/b&gt;" in html


def test_learners_do_not_see_a_course_whose_link_is_confirmed_broken(client, editor, catalog):
    LinkStatus.objects.create(
        url="https://www.youtube.com/playlist?list=flask-hi", result="broken", confirmed_broken=True
    )
    assert "Flask in Hindi" not in titles(client.get("/courses/"))
    client.force_login(editor)
    html = client.get("/courses/").content.decode()
    assert "Flask in Hindi" in html
    assert "link broken" in html


def test_header_links_to_courses(client, catalog):
    html = client.get("/courses/").content.decode()
    assert '<a href="/courses/" aria-current="page">Courses</a>' in html
    assert '<a href="/">Roadmaps</a>' in html
    home = client.get("/").content.decode()
    assert '<a href="/courses/">Courses</a>' in home
    assert '<a href="/" aria-current="page">Roadmaps</a>' in home


@pytest.mark.parametrize("size", [3, 60])
def test_page_query_count_is_fixed(client, django_assert_num_queries, size):
    roadmaps = RoadmapFactory.create_batch(3)
    for index in range(size):
        CourseFactory(language="hi" if index % 2 else "en", roadmaps=roadmaps)
    # categories, languages, the count, the page of courses, their roadmaps
    with django_assert_num_queries(5):
        response = client.get("/courses/", {"level": "beginner"})
    assert len(response.context["courses"]) == min(size, 24)


# --- On the roadmap page ----------------------------------------------------------------------


def test_roadmap_page_shows_its_courses(client, flask_roadmap, learner):
    other = RoadmapFactory(slug="other")
    CourseFactory(
        title="Flask in Hindi", language="hi", roadmaps=[flask_roadmap], channel="Code Channel"
    )
    CourseFactory(title="For another roadmap", roadmaps=[other])
    CourseFactory(title="Unpublished", roadmaps=[flask_roadmap], is_published=False)
    broken = CourseFactory(title="Broken link", roadmaps=[flask_roadmap])
    LinkStatus.objects.create(url=broken.url, result="broken", confirmed_broken=True)
    html = client.get(flask_roadmap.get_absolute_url()).content.decode()
    assert '<h2 id="courses-title">Courses for this roadmap</h2>' in html
    assert "Flask in Hindi" in html and "Code Channel" in html
    assert '<h3 class="course-card__title">' in html
    for absent in ("For another roadmap", "Unpublished", "Broken link"):
        assert absent not in html
    # The section sits before the FAQ.
    assert html.index('id="courses"') < html.index('id="faq"')


def test_roadmap_page_without_courses_has_no_section(client, flask_roadmap):
    assert 'id="courses"' not in client.get(flask_roadmap.get_absolute_url()).content.decode()


@pytest.mark.parametrize("courses", [1, 40])
def test_roadmap_page_loads_its_courses_in_one_query(client, flask_roadmap, courses):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(flask_roadmap.get_absolute_url()).status_code == 200
        return len(queries)

    without = count()
    CourseFactory.create_batch(courses, roadmaps=[flask_roadmap])
    # As the courses admin and services do: the page is stored per content version.
    roadmap_pages_changed(roadmaps=[flask_roadmap.pk])
    assert Course.objects.for_roadmap(flask_roadmap).count() == courses
    # One courses query runs whether the roadmap has none, one or forty courses (the page's total,
    # with that query, is pinned in roadmaps' test_roadmap_page_query_count_is_fixed).
    assert count() == without
