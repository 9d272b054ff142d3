"""GET /api/v1/courses: whole payloads, the page's filters, paging links, errors, query counts."""

from __future__ import annotations

import pytest

from courses.tests.factories import CourseCategoryFactory, CourseFactory
from roadmaps.models import LinkStatus
from roadmaps.tests.factories import RoadmapFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
URL = "/api/v1/courses"


@pytest.fixture
def catalog():
    data = CourseCategoryFactory(slug="data", name="Data Science")
    flask = RoadmapFactory(slug="flask", title="Flask Roadmap")
    draft = RoadmapFactory(slug="draft", title="Draft Roadmap", status="draft")
    CourseFactory(
        key="flask-hindi",
        title="Flask in Hindi",
        channel="Code Channel",
        language="hi",
        level="beginner",
        url="https://www.youtube.com/playlist?list=flask-hi",
        rating="4.7",
        badge="Bestseller",
        roadmaps=[flask, draft],
    )
    CourseFactory(
        key="pandas",
        title="Pandas",
        channel="",
        language="en",
        level="intermediate",
        url="https://videos.example.com/pandas",
        category=data,
        is_free=False,
        featured=True,
    )
    CourseFactory(title="Hidden", is_published=False)
    return flask


def keys(response) -> list[str]:
    return [item["key"] for item in response.json()["items"]]


def test_whole_payload(client, catalog):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "items": [
            {
                "key": "pandas",
                "title": "Pandas",
                "channel": "",
                "url": "https://videos.example.com/pandas",
                "language": "en",
                "language_name": "English",
                "level": "intermediate",
                "category": {"slug": "data", "name": "Data Science"},
                "rating": None,
                "badge": "",
                "is_free": False,
                "featured": True,
                "roadmaps": [],
            },
            {
                "key": "flask-hindi",
                "title": "Flask in Hindi",
                "channel": "Code Channel",
                "url": "https://www.youtube.com/playlist?list=flask-hi",
                "language": "hi",
                "language_name": "Hindi",
                "level": "beginner",
                "category": {"slug": "web-development", "name": "Web Development"},
                "rating": 4.7,
                "badge": "Bestseller",
                "is_free": True,
                "featured": False,
                "roadmaps": [
                    {
                        "slug": "flask",
                        "title": "Flask Roadmap",
                        "url": f"{SITE}/roadmaps/flask/",
                        "api_url": f"{SITE}/api/v1/roadmaps/flask",
                    }
                ],
            },
        ],
        "count": 2,
        "next": None,
        "previous": None,
    }
    assert response["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"language": "hi"}, ["flask-hindi"]),
        ({"language": "en"}, ["pandas"]),
        ({"level": "intermediate"}, ["pandas"]),
        ({"category": "web-development"}, ["flask-hindi"]),
        ({"category": "data", "language": "hi"}, []),
        ({"category": "unknown"}, []),
        ({"language": "fr"}, []),
    ],
)
def test_filters(client, catalog, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert keys(response) == expected
    assert response.json()["count"] == len(expected)


def test_the_api_and_the_page_list_the_same_courses(client, catalog):
    for query in ({}, {"language": "hi"}, {"level": "intermediate"}, {"category": "data"}):
        page = [course.key for course in client.get("/courses/", query).context["courses"]]
        assert keys(client.get(URL, query)) == page, query


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"level": "expert"}, "level"),
        ({"language": "aiagents"}, "language"),
        ({"language": "HI"}, "language"),
        ({"category": "<b>"}, "category"),
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
    ],
)
def test_bad_filters_are_422_naming_the_field(client, catalog, query, field):
    response = client.get(URL, query)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert [error["field"] for error in body["errors"]] == [field]


def test_pages_link_to_each_other_with_the_filters(client, db):
    CourseFactory.create_batch(5, language="hi")
    CourseFactory.create_batch(2, language="en")
    first = client.get(URL, {"language": "hi", "page_size": 2}).json()
    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == f"{SITE}{URL}?language=hi&page_size=2&page=2"
    second = client.get(first["next"]).json()
    assert second["previous"] == f"{SITE}{URL}?language=hi&page_size=2&page=1"
    last = client.get(URL, {"language": "hi", "page_size": 2, "page": 3}).json()
    assert len(last["items"]) == 1
    assert last["next"] is None
    seen = first["items"] + second["items"] + last["items"]
    assert len({item["key"] for item in seen}) == 5
    # Past the end: no items, and `previous` leads back to the last page.
    beyond = client.get(URL, {"language": "hi", "page_size": 2, "page": 9}).json()
    assert beyond["items"] == [] and beyond["next"] is None
    assert beyond["previous"] == f"{SITE}{URL}?language=hi&page_size=2&page=3"


def test_a_course_with_a_confirmed_broken_link_is_left_out_for_the_public(client, catalog):
    LinkStatus.objects.create(
        url="https://videos.example.com/pandas", result="broken", confirmed_broken=True
    )
    assert keys(client.get(URL)) == ["flask-hindi"]


@pytest.mark.parametrize("size", [2, 50])
def test_query_count_does_not_grow(client, django_assert_num_queries, size):
    roadmaps = RoadmapFactory.create_batch(3)
    CourseFactory.create_batch(size, roadmaps=roadmaps)
    # the count, the page of courses with their categories, the page's roadmaps
    with django_assert_num_queries(3):
        response = client.get(URL, {"page_size": 100})
    assert len(response.json()["items"]) == size
    assert all(len(item["roadmaps"]) == 3 for item in response.json()["items"])


def test_openapi_parameters_give_one_example_and_a_description(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/courses"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"category", "language", "level", "page", "page_size"}
    for name, parameter in parameters.items():
        assert parameter["description"], name
        assert "example" in parameter, name
        assert "examples" not in parameter, name  # a list there is invalid OpenAPI 3.1
    assert parameters["language"]["example"] == "hi"
    assert operation["tags"] == ["courses"]
