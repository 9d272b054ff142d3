"""Course URLs are link-checked like resources': known to the checker, due, checked, hidden
from learners when confirmed broken, and queued when an editor saves a course."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import Course
from courses.tests.factories import CourseFactory, version_of
from roadmaps.linkcheck import services
from roadmaps.linkcheck.checker import LinkOutcome
from roadmaps.linkcheck.sources import URL_SOURCES, UrlSource, urls_in_use
from roadmaps.models import LinkStatus
from roadmaps.tests.factories import ResourceFactory, RoadmapFactory

pytestmark = pytest.mark.django_db

COURSE_URL = "https://videos.example.com/flask-course"


def test_the_courses_app_registers_its_urls_once():
    assert (
        URL_SOURCES.count(
            UrlSource("courses.Course", roadmap_path="roadmaps", place="Course catalog")
        )
        == 1
    )
    assert URL_SOURCES[0] == UrlSource("roadmaps.Resource")


def test_links_sync_knows_course_urls_and_they_are_due():
    roadmap = RoadmapFactory()
    ResourceFactory(url="https://docs.example.com/", roadmap=roadmap)
    CourseFactory(url=COURSE_URL, roadmaps=[roadmap])
    CourseFactory(url="https://videos.example.com/unlinked")
    assert urls_in_use() == {
        "https://docs.example.com/",
        COURSE_URL,
        "https://videos.example.com/unlinked",
    }
    assert services.links_sync() == 3
    assert set(LinkStatus.objects.in_use().values_list("url", flat=True)) == urls_in_use()
    assert set(services.links_due()) == urls_in_use()
    # A roadmap's links include the courses linked to it.
    assert set(LinkStatus.objects.for_roadmap(roadmap).values_list("url", flat=True)) == {
        "https://docs.example.com/",
        COURSE_URL,
    }
    assert set(services.links_due(roadmap=roadmap)) == {"https://docs.example.com/", COURSE_URL}


def test_a_removed_course_url_is_no_longer_in_use():
    course = CourseFactory(url=COURSE_URL)
    services.links_sync()
    assert LinkStatus.objects.in_use().filter(url=COURSE_URL).exists()
    course.delete()
    assert not LinkStatus.objects.in_use().filter(url=COURSE_URL).exists()


def test_a_confirmed_broken_course_link_hides_the_course_and_moves_its_roadmaps_on(learner):
    roadmap = RoadmapFactory()
    CourseFactory(url=COURSE_URL, roadmaps=[roadmap])
    before = version_of(roadmap)
    start = timezone.now() - timedelta(hours=50)
    for hours in (0, 24, 49):
        status = services.link_record(
            outcome=LinkOutcome(url=COURSE_URL, result="broken", http_status=404),
            now=start + timedelta(hours=hours),
        )
    assert status is not None and status.confirmed_broken
    assert list(Course.objects.visible_to(learner)) == []
    # The roadmap page shows its courses, so hiding one is a change of that page.
    assert version_of(roadmap) == before + 1
    services.link_record(outcome=LinkOutcome(url=COURSE_URL, result="ok", http_status=200))
    assert [c.url for c in Course.objects.visible_to(learner)] == [COURSE_URL]
    assert version_of(roadmap) == before + 2


def test_link_health_and_the_weekly_digest_name_the_course(client, editor, settings):
    settings.SITE_URL = "http://testserver"
    course = CourseFactory(url=COURSE_URL, title="Flask & <friends>")
    status = LinkStatus.objects.create(
        url=COURSE_URL,
        result="broken",
        error="HTTP 404",
        confirmed_broken=True,
        confirmed_at=timezone.now() - timedelta(days=1),
        failing_since=timezone.now() - timedelta(days=3),
    )
    edit = f"/admin/courses/course/{course.pk}/change/"
    client.force_login(editor)
    html = client.get(f"/admin/roadmaps/linkstatus/{status.pk}/change/").content.decode()
    assert f'<li><a href="{edit}">Flask &amp; &lt;friends&gt;</a> (Course catalog)</li>' in html
    assert "No resource uses this URL" not in html

    assert services.links_email_digest() == 1
    [message] = mail.outbox
    assert f"  used by 'Flask & <friends>' in Course catalog: http://testserver{edit}\n" in (
        message.body
    )
