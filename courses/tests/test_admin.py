"""The course catalog in the editors' admin: access, the form's checks, and the one content
change call per save (roadmap pages move on; a new URL goes to the link checker)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Course, CourseCategory
from courses.tests.factories import CourseCategoryFactory, CourseFactory, version_of
from roadmaps.models import LinkStatus
from roadmaps.tests.factories import RoadmapFactory

pytestmark = pytest.mark.django_db


def form_data(course: Course | None = None, **changes) -> dict:
    data = {
        "title": "Flask in Hindi",
        "key": "flask-in-hindi",
        "channel": "Code Channel",
        "url": "https://videos.example.com/flask",
        "category": CourseCategoryFactory(slug="web-development").pk,
        "language": "hi",
        "level": "beginner",
        "is_free": "on",
        "rating": "",
        "badge": "",
        "is_published": "on",
        "position": "0",
        "roadmaps": [],
    }
    if course is not None:
        data.update(
            title=course.title,
            key=course.key,
            channel=course.channel,
            url=course.url,
            category=course.category_id,
            language=course.language,
            level=course.level,
            roadmaps=list(course.roadmaps.values_list("pk", flat=True)),
        )
    data.update(changes)
    return data


def test_editors_group_may_curate_courses():
    codenames = set(
        Group.objects.get(name="Editors")
        .permissions.filter(content_type__app_label="courses")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("course", "coursecategory")
    }


def test_editor_opens_the_lists_with_filters_and_forms(client, editor):
    roadmap = RoadmapFactory(slug="flask")
    course = CourseFactory(roadmaps=[roadmap])
    LinkStatus.objects.create(url=course.url, result="ok")
    client.force_login(editor)
    changelist = reverse("admin:courses_course_changelist")
    for url in (
        changelist,
        changelist + "?language__exact=hi&level__exact=beginner&is_published__exact=1",
        changelist + f"?roadmaps__id__exact={roadmap.pk}",
        changelist + "?q=course",
        reverse("admin:courses_course_add"),
        reverse("admin:courses_course_change", args=[course.pk]),
        reverse("admin:courses_coursecategory_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("admin:courses_course_change", args=[course.pk])).content.decode()
    assert 'href="/roadmaps/flask/"' in html  # "Shown on" links to the roadmap page
    assert "OK" in html  # the link checker's verdict


def test_a_learner_cannot_open_the_course_admin(client, learner):
    client.force_login(learner)
    response = client.get(reverse("admin:courses_course_changelist"))
    assert response.status_code == 302


def test_adding_a_course_moves_its_roadmaps_on_and_queues_its_url(
    client, editor, queued_links, django_capture_on_commit_callbacks
):
    flask, other = RoadmapFactory(), RoadmapFactory()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:courses_course_add"), form_data(roadmaps=[flask.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    course = Course.objects.get(key="flask-in-hindi")
    assert list(course.roadmaps.all()) == [flask]
    assert (version_of(flask), version_of(other)) == (2, 1)
    assert queued_links == ["https://videos.example.com/flask"]


def test_relinking_moves_both_roadmaps_on_once_and_queues_nothing(
    client, editor, queued_links, django_capture_on_commit_callbacks
):
    flask, django = RoadmapFactory(), RoadmapFactory()
    course = CourseFactory(roadmaps=[flask])
    client.force_login(editor)
    url = reverse("admin:courses_course_change", args=[course.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(course, roadmaps=[django.pk]))
    assert list(course.roadmaps.all()) == [django]
    assert (version_of(flask), version_of(django)) == (2, 2)
    assert queued_links == []
    # Saving without a change changes no roadmap.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(course))
    assert (version_of(flask), version_of(django)) == (2, 2)


def test_the_admin_refuses_a_javascript_url_and_a_bad_rating(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:courses_course_add"),
        form_data(url="javascript:alert(1)", rating="7"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["url"]
    assert "rating" in errors
    assert not Course.objects.exists()


def test_deleting_courses_moves_their_roadmaps_on(client, editor):
    flask = RoadmapFactory()
    first, second = CourseFactory(roadmaps=[flask]), CourseFactory(roadmaps=[flask])
    client.force_login(editor)
    client.post(reverse("admin:courses_course_delete", args=[first.pk]), {"post": "yes"})
    assert version_of(flask) == 2
    client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )
    assert not Course.objects.exists()
    assert version_of(flask) == 3
    assert CourseCategory.objects.exists()  # categories stay


def test_renaming_a_category_moves_the_roadmaps_of_its_courses_on(client, editor):
    flask, other = RoadmapFactory(), RoadmapFactory()
    course = CourseFactory(roadmaps=[flask])
    CourseFactory(roadmaps=[other], category=CourseCategoryFactory(slug="data"))
    client.force_login(editor)
    url = reverse("admin:courses_coursecategory_change", args=[course.category_id])
    data = {"name": "Web", "slug": "web-development", "position": "0"}
    assert client.post(url, data).status_code == 302
    assert (version_of(flask), version_of(other)) == (2, 1)
    client.post(url, data)  # unchanged: nothing moves
    assert version_of(flask) == 2


@pytest.mark.parametrize("size", [2, 40])
def test_course_changelist_query_count_does_not_grow(client, editor, size):
    roadmaps = RoadmapFactory.create_batch(2)
    for index in range(size):
        course = CourseFactory(
            roadmaps=roadmaps, category=CourseCategoryFactory(slug=f"c{index % 3}")
        )
        LinkStatus.objects.create(url=course.url, result="ok")
    client.force_login(editor)
    url = reverse("admin:courses_course_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # session, user, the user's and the group's permissions, the category and roadmap filters'
    # choices, the two counts and the page (category joined, link result as a subquery): none
    # per row.
    assert len(queries) == 9
