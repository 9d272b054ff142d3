"""Roadmap tags (roadmaps/tag_model.py): the catalog filter on the site and in the API (one
query, the same roadmaps), popular tags, the content file, the admin."""

from __future__ import annotations

import re
import textwrap

import pytest
from django.http import QueryDict
from django.urls import reverse

from roadmaps.content import ContentError, roadmap_export, roadmap_import_text
from roadmaps.models import Roadmap, Tag
from roadmaps.tests.factories import RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    python, web, data = (
        Tag.objects.create(slug="python", name="Python"),
        Tag.objects.create(slug="web", name="Web"),
        Tag.objects.create(slug="data", name="Data"),
    )
    flask = RoadmapFactory(slug="flask", title="Flask")
    django = RoadmapFactory(slug="django", title="Django")
    pandas = RoadmapFactory(slug="pandas", title="Pandas")
    hidden = RoadmapFactory(slug="hidden", title="Hidden", status=Roadmap.Status.DRAFT)
    flask.tags.set([python, web])
    django.tags.set([python, web])
    pandas.tags.set([python, data])
    hidden.tags.set([data])
    return python, web, data


def _site_slugs(client, query: str) -> list[str]:
    html = client.get(f"/?{query}").content.decode()
    return re.findall(r'<h2 class="card__title"><a href="/roadmaps/([^/]+)/', html)


def _api_slugs(client, query: str) -> list[str]:
    return [item["slug"] for item in client.get(f"/api/v1/roadmaps?{query}").json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag=python", ["django", "flask", "pandas"]),
        ("tag=web", ["django", "flask"]),
        ("tag=data", ["pandas"]),  # the draft with the tag is not listed
        ("tag=web&q=flask", ["flask"]),
        ("tag=unknown", None),  # the site ignores an unknown tag; the API finds nothing
    ],
)
def test_the_tag_filter_lists_the_same_roadmaps_on_the_site_and_in_the_api(
    client, tagged, query, expected
):
    everything = ["django", "flask", "pandas"]
    assert _site_slugs(client, query) == (expected or everything)
    assert _api_slugs(client, query) == (expected or [])
    filters = QueryDict(query)
    found = Roadmap.objects.catalog(tag=filters["tag"], query=filters.get("q", ""))
    assert list(found.values_list("slug", flat=True)) == (expected or [])


def test_the_api_refuses_a_tag_that_is_not_a_slug(client, tagged):
    response = client.get("/api/v1/roadmaps?tag=<b>")
    assert response.status_code == 422


def test_popular_tags_count_published_roadmaps_only(client, tagged):
    popular = [(tag.slug, tag.roadmap_count) for tag in Tag.objects.popular()]
    assert popular == [("python", 3), ("web", 2), ("data", 1)]
    html = client.get("/").content.decode()
    cloud = html.split('id="popular-tags-title"')[1].split("</nav>")[0]
    assert re.findall(r"\?tag=([a-z]+)", cloud) == ["python", "web", "data"]
    # Cards show their tags as links to the filter; the selected one is marked in the cloud.
    filtered = client.get("/?tag=web").content.decode()
    assert (
        'href="/?tag=web" aria-current="page"' in filtered or 'aria-current="page">#Web' in filtered
    )
    assert '<input type="hidden" name="tag" value="web">' in filtered


def test_tags_show_on_the_page_and_in_the_api(client, tagged):
    html = client.get("/roadmaps/flask/").content.decode()
    assert ">#Python</a>" in html and ">#Web</a>" in html
    body = client.get("/api/v1/roadmaps/flask").json()
    assert body["tags"] == [{"slug": "python", "name": "Python"}, {"slug": "web", "name": "Web"}]


FILE = textwrap.dedent(
    """\
    slug: tagged
    title: Tagged
    status: published
    tags: [web development, Python]
    phases: []
    """
)


def test_tags_in_a_content_file_round_trip_and_keep_editors_names():
    Tag.objects.create(slug="python", name="Python 3")
    report = roadmap_import_text(FILE)
    assert report.created == 1
    roadmap = Roadmap.objects.get(slug="tagged")
    assert sorted(roadmap.tags.values_list("slug", "name")) == [
        ("python", "Python 3"),  # an existing tag keeps the name editors gave it
        ("web-development", "web development"),
    ]
    exported = roadmap_export(roadmap)
    assert "tags:\n  - Python 3\n  - web development\n" in exported
    again = roadmap_import_text(exported)
    assert not again.changed
    assert roadmap_export(Roadmap.objects.get(slug="tagged")) == exported
    # Dropping a tag from the file is a change of the roadmap.
    version = Roadmap.objects.get(slug="tagged").content_version
    changed = roadmap_import_text(exported.replace("  - Python 3\n", ""))
    assert changed.updated == 1
    roadmap.refresh_from_db()
    assert list(roadmap.tags.values_list("slug", flat=True)) == ["web-development"]
    assert roadmap.content_version == version + 1


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("tags: Python", "expected a list of tag names"),
        ("tags: [Python, python]", "'python' is the same tag as 'Python'"),
        ("tags: ['!!!']", "'!!!' is not a tag"),
        (
            "tags: [" + ", ".join(f"t{n}" for n in range(13)) + "]",
            "13 tags; a roadmap has at most 12",
        ),
    ],
)
def test_bad_tags_in_a_file_are_refused_on_their_line(tags, message):
    with pytest.raises(ContentError) as raised:
        roadmap_import_text(FILE.replace("tags: [web development, Python]", tags))
    [problem] = raised.value.problems
    assert "line 4 (tags)" in problem and message in problem
    assert not Tag.objects.exists() and not Roadmap.objects.exists()


def test_an_editor_tags_a_roadmap_and_renames_a_tag_in_the_admin(client, editor, tagged):
    python = tagged[0]
    flask = Roadmap.objects.get(slug="flask")
    version = flask.content_version
    client.force_login(editor)
    response = client.post(
        reverse("admin:roadmaps_tag_change", args=[python.pk]),
        {"name": "Python 3", "slug": "python"},
    )
    assert response.status_code == 302
    flask.refresh_from_db()
    # Its roadmaps' content changed (their files name the tag): a new version and revision.
    assert flask.content_version == version + 1
    assert "  - Python 3\n" in flask.revisions.order_by("-number").first().text
    response = client.post(
        reverse("admin:roadmaps_tag_add"), {"name": "<b>Bold</b>", "slug": "bold"}
    )
    assert response.status_code == 302
    html = client.get("/roadmaps/flask/").content.decode()
    assert "<b>Bold" not in html


def test_an_editor_gives_a_roadmap_tags_and_a_phase_time_on_its_page(client, editor, tagged):
    from roadmaps.tests.test_admin import post_change

    flask = Roadmap.objects.get(slug="flask")
    phase = flask.phases.create(title="Pacing", level="beginner", position=0)
    client.force_login(editor)
    data = tagged[2]

    def edit(form):
        form["tags"] = [str(data.pk)]
        form["phases-0-duration_min"] = "2"
        form["phases-0-duration_max"] = "2"
        form["phases-0-duration_unit"] = "weeks"
        form["phases-0-level"] = ""

    post_change(client, flask, edit)
    flask.refresh_from_db()
    assert list(flask.tags.values_list("slug", flat=True)) == ["data"]
    phase.refresh_from_db()
    assert (phase.level, phase.timeline_text) == ("", "2 Weeks")
    # The revision of this save shows the tags and the time: M2M rows are saved before it.
    text = flask.revisions.order_by("-number").first().text
    assert "tags:\n  - Data\n" in text and "duration: 2 weeks\n" in text


def test_compare_shows_tag_and_duration_changes():
    from roadmaps.revision_diff import revision_diff

    old = FILE.replace(
        "phases: []", "phases:\n  - title: P\n    duration: 1-2 weeks\n    sections: []"
    )
    new = old.replace("Python]", "Django]").replace("1-2 weeks", "1-3 weeks")
    changes = {(c.level, c.label): c.fields for c in revision_diff(old, new)}
    assert changes == {
        ("Roadmap", "Roadmap"): [("tags", "web development, Python", "web development, Django")],
        ("Phase", "P"): [("duration", "1-2 weeks", "1-3 weeks")],
    }
