"""The public pages: catalog, roadmap page, search page, robots.txt, sitemap.xml, error pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps.models import Level, LinkStatus, Resource, Roadmap, Topic
from roadmaps.tests.factories import (
    FAQFactory,
    PhaseFactory,
    ResourceFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


class _Outline(HTMLParser):
    """Collects what the accessibility and structure assertions need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "h3": []}
        self.ids: list[str] = []
        self.landmarks: list[str] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks.append(tag)
        if tag in self.headings:
            self._open, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self.headings[tag].append(" ".join("".join(self._text).split()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


# --- Catalog ----------------------------------------------------------------------------------


def test_catalog_card_shows_the_roadmap_at_a_glance(client, flask_roadmap):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Flask Roadmap" in html
    assert "(2026 Edition)" in html
    assert flask_roadmap.summary in html
    assert re.search(r"<dt>Phases</dt><dd>17</dd>", html)
    assert re.search(r"<dt>Items</dt><dd>173</dd>", html)
    assert "Prerequisite → Expert" in html
    assert "Expert" in html
    assert "~12 months" in html
    assert "Backend" in html
    assert outline(html).headings["h1"] == ["Industry-ready roadmaps for tech skills"]


def test_catalog_lists_only_published_roadmaps(client, editor):
    RoadmapFactory(title="Public one")
    RoadmapFactory(title="Secret draft", status=Roadmap.Status.DRAFT)
    client.force_login(editor)
    html = client.get("/").content.decode()
    assert "Public one" in html
    assert "Secret draft" not in html


def test_catalog_filters_by_category_level_and_words(client):
    backend = RoadmapFactory(title="Django Roadmap", category="Backend")
    PhaseFactory(roadmap=backend, level=Level.EXPERT)
    frontend = RoadmapFactory(title="React Roadmap", category="Frontend")
    PhaseFactory(roadmap=frontend, level=Level.BEGINNER)

    def titles(**params):
        html = client.get("/", params).content.decode()
        return [name for name in ("Django Roadmap", "React Roadmap") if name in html]

    assert titles() == ["Django Roadmap", "React Roadmap"]
    assert titles(category="Frontend") == ["React Roadmap"]
    assert titles(level="expert") == ["Django Roadmap"]
    assert titles(q="react") == ["React Roadmap"]
    assert titles(category="Backend", level="beginner") == []
    # Unknown values are ignored instead of emptying the page.
    assert titles(category="Cooking", level="wizard") == ["Django Roadmap", "React Roadmap"]


def test_catalog_searches_descriptions_like_the_api(client):
    RoadmapFactory(title="Django Roadmap", summary="Web apps", description="ORM and admin.")
    RoadmapFactory(title="React Roadmap", summary="UI", description="Hooks and state.")

    def titles(query: str) -> list[str]:
        html = client.get("/", {"q": query}).content.decode()
        page = [name for name in ("Django Roadmap", "React Roadmap") if name in html]
        api = [
            item["title"] for item in client.get("/api/v1/roadmaps", {"q": query}).json()["items"]
        ]
        assert page == api, query
        return page

    assert titles("hooks") == ["React Roadmap"]
    assert titles("orm web") == ["Django Roadmap"]
    # A query of punctuation only has no word to look for: nothing matches, as in the search.
    assert titles("?!") == []


def test_catalog_query_count_does_not_grow_with_roadmaps(
    client, django_assert_num_queries, make_roadmap
):
    make_roadmap(slug="small", phases=2, sections=2, topics=10)
    # The catalog's stamp, then (rendered once per stamp and page) the categories, the popular
    # tags, the count for the pager, the page's cards with their statistics as subqueries and
    # their tags (one prefetch); the stored page
    # costs the stamp only.
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200
    for index in range(5):
        make_roadmap(slug=f"more-{index}", phases=3, sections=2, topics=30)
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200
    # A filtered catalog is rendered: no stamp.
    with django_assert_num_queries(5):
        assert client.get("/?category=Backend").status_code == 200


# --- Roadmap page -----------------------------------------------------------------------------


def test_roadmap_page_carries_everything_the_seed_shows(client, flask_roadmap):
    response = client.get("/roadmaps/flask/")
    html = response.content.decode()
    page = outline(html)
    assert response.status_code == 200

    assert page.headings["h1"] == ["Flask Roadmap (2026 Edition)"]
    phase_headings = [h for h in page.headings["h2"] if h.startswith("Phase ")]
    assert len(phase_headings) == 17
    assert phase_headings[0] == "Phase 0: Programming Foundations"
    assert phase_headings[16] == "Phase 16: Career Readiness"
    assert "HTTP & Web Basics" in page.headings["h3"]
    assert "Blueprints" in page.headings["h3"]

    # Anchors the navigator, search and "continue" links jump to.
    assert [i for i in page.ids if i.startswith("phase-") and i.count("-") == 1] == [
        f"phase-{n}" for n in range(17)
    ]
    topic_ids = [i for i in page.ids if i.startswith("topic-")]
    assert len(topic_ids) == 173
    assert "topic-jwt-authentication" in topic_ids
    for n in range(17):
        assert f'href="#phase-{n}"' in html

    assert "Mandatory Prerequisites" in html
    assert 'Beginner Level</span> <span class="phase__months">Months 0\u20131</span>' in html
    assert "Months 1\u20132" in html
    assert "Master Python fundamentals before diving into Flask" in html
    assert (
        '<a href="items/client-server-model/">Client-Server model</a> '
        "<span>Understanding request-response cycle</span>"
    ) in html
    assert "Understanding request-response cycle" in html
    # Projects and goals are marked as such.
    assert re.search(r'class="item--project" id="topic-blog-app-with-flask-plus-templates"', html)
    assert re.search(r'class="item--goal" id="topic-think-like-a-python-engineer"', html)
    assert "kind-badge--project" in html
    # Resources with kind, language and free/paid marks; the language filter lists what exists.
    assert "Official documentation" in html
    assert 'data-lang="hi"' in html
    assert '<span class="tag">Hindi</span>' in html
    assert '<span class="tag tag--free">Free</span>' in html
    assert 'value="en"><span>English</span>' in html
    assert 'value="hi"><span>Hindi</span>' in html
    # FAQs and the completion message close the page.
    assert "Frequently asked questions" in page.headings["h2"]
    assert "Should I learn Flask or FastAPI in 2026?" in html
    # The congratulations wait for a learner who completed the roadmap; until then the same
    # place says what completing it means (progress/_completion.html).
    assert "Congratulations! You&#x27;re Flask Developer and Industry Ready!" not in html
    assert "What completing this roadmap means" in html
    # Landmarks
    assert {"header", "nav", "main", "footer"} <= set(page.landmarks)


def test_roadmap_page_includes_the_progress_partials(client, flask_roadmap):
    response = client.get("/roadmaps/flask/")
    names = [template.name for template in response.templates]
    assert names.count("progress/_roadmap_progress.html") == 1
    assert names.count("progress/_phase_progress.html") == 17
    assert names.count("progress/_topic_control.html") == 173


def test_roadmap_page_numbers_items_inside_each_section(client):
    section = SectionFactory(title="Basics")
    for title in ("First", "Second", "Third"):
        TopicFactory(section=section, title=title)
    html = client.get(section.phase.roadmap.get_absolute_url()).content.decode()
    # Numbers are a CSS counter per list (site.css: .items), so each section starts at 1 and the
    # items are in order inside one list.
    lists = re.findall(r'<ol class="items">(.*?)</ol>', html, re.S)
    assert len(lists) == 1
    titles = re.findall(r'<a href="items/[\w-]+/">(\w+)</a>', lists[0])
    assert titles == ["First", "Second", "Third"]


def test_section_notes_show_with_the_section_escaped_and_not_as_items(client):
    section = SectionFactory(title="Basics", goal="Know <b>HTTP</b>", tip="Read the RFC")
    TopicFactory(section=section, title="Only item")
    html = client.get(section.phase.roadmap.get_absolute_url()).content.decode()
    notes = re.search(r'<dl class="topic-group__notes">(.*?)</dl>', html, re.S)
    assert notes is not None
    assert re.findall(r"<dt>(\w+)</dt>", notes[1]) == ["Goal", "Tip"]  # empty notes left out
    assert "Know &lt;b&gt;HTTP&lt;/b&gt;" in notes[1]
    assert html.count('id="topic-') == 1


def test_roadmap_page_hides_retired_items(client):
    section = SectionFactory()
    TopicFactory(section=section, title="Still here")
    gone = TopicFactory(section=section, title="Retired item")
    Topic.objects.filter(pk=gone.pk).update(retired_at="2026-01-01T00:00:00Z")
    html = client.get(section.phase.roadmap.get_absolute_url()).content.decode()
    assert "Still here" in html
    assert "Retired item" not in html


def test_resources_show_kind_language_price_and_escape_their_text(client):
    phase = PhaseFactory()
    ResourceFactory(
        roadmap=phase.roadmap,
        phase=phase,
        kind=Resource.Kind.VIDEO_COURSE,
        title="<script>alert(1)</script> course",
        language="hi",
        is_free=False,
        author="Channel",
    )
    html = client.get(phase.roadmap.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; course" in html
    assert "<script>alert(1)</script>" not in html
    assert "Video course" in html
    assert '<span class="tag tag--paid">Paid</span>' in html
    assert "Hindi" in html
    # One language only: no filter to offer.
    assert "data-language-filter" not in html


def test_a_confirmed_broken_link_is_hidden_from_learners_and_marked_for_editors(
    client, learner, editor
):
    phase = PhaseFactory()
    ResourceFactory(roadmap=phase.roadmap, phase=phase, title="Dead link", url="https://gone.test/")
    ResourceFactory(roadmap=phase.roadmap, phase=phase, title="Live link", url="https://ok.test/")
    LinkStatus.objects.create(url="https://gone.test/", result="broken", confirmed_broken=True)
    url = phase.roadmap.get_absolute_url()

    client.force_login(learner)
    html = client.get(url).content.decode()
    assert "Live link" in html
    assert "Dead link" not in html

    client.force_login(editor)
    html = client.get(url).content.decode()
    assert "Dead link" in html
    assert html.count('<span class="tag tag--broken">link broken</span>') == 1


def test_drafts_are_for_editors_only_with_a_banner(client, learner, editor):
    draft = RoadmapFactory(slug="secret", status=Roadmap.Status.DRAFT)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(learner)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "banner--draft" in html
    assert "Only editors can see this roadmap" in html
    assert '<meta name="robots" content="noindex">' in html


def test_published_page_has_no_draft_banner(client, flask_roadmap):
    assert "banner--draft" not in client.get("/roadmaps/flask/").content.decode()


@override_settings(SITE_URL="https://roadmaps.example.org")
def test_roadmap_page_has_canonical_and_open_graph_tags(client, flask_roadmap):
    html = client.get("/roadmaps/flask/").content.decode()
    assert '<link rel="canonical" href="https://roadmaps.example.org/roadmaps/flask/">' in html
    assert '<meta property="og:title" content="Flask Roadmap (2026 Edition)">' in html
    assert '<meta property="og:url" content="https://roadmaps.example.org/roadmaps/flask/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:description" content="From Python foundations' in html
    assert 'property="og:image" content="https://roadmaps.example.org/static/' in html


def resource_languages(html: str) -> list[str]:
    return re.findall(r'class="resource[^"]*" data-lang="([a-z]{2})"', html)


def test_preferred_language_lists_its_resources_first_and_hides_none(
    client, learner, flask_roadmap
):
    everyone = resource_languages(client.get("/roadmaps/flask/").content.decode())
    assert everyone.count("hi") and everyone.count("en")
    learner.preferred_language = "hi"
    learner.save()
    client.force_login(learner)
    html = client.get("/roadmaps/flask/").content.decode()
    shown = resource_languages(html)
    assert sorted(shown) == sorted(everyone)  # nothing hidden
    assert shown != everyone  # reordered


def test_preferred_language_ranks_resources_in_every_list(learner, make_roadmap):
    from roadmaps.tests.factories import ResourceFactory
    from roadmaps.tree import roadmap_tree

    roadmap = make_roadmap(slug="tiny", phases=1, sections=1, topics=1)
    topic = roadmap.topics.get()
    for position, language in enumerate(["en", "hi", "en", "hi"]):
        ResourceFactory(
            roadmap=roadmap, topic=topic, position=10 + position, language=language, title="mine"
        )

    def order(**kwargs) -> list[tuple[str, int]]:
        tree = roadmap_tree(roadmap=roadmap, user=learner, **kwargs)
        (node,) = tree.topics()
        return [(r.language, r.position) for r in node.resources if r.title == "mine"]

    assert order() == [("en", 10), ("hi", 11), ("en", 12), ("hi", 13)]
    assert order(preferred_language="hi") == [("hi", 11), ("hi", 13), ("en", 10), ("en", 12)]
    assert order(preferred_language="ta") == order()


def test_unknown_roadmap_is_a_404_in_the_sites_look(client, db):
    response = client.get("/roadmaps/nope/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page is not on the map" in html
    assert "site-header" in html


@pytest.mark.parametrize("size", ["flask", "generated"])
def test_roadmap_page_query_count_is_fixed(
    size, client, django_assert_num_queries, flask_roadmap, make_roadmap
):
    """Same number of queries for the 173-item Flask roadmap and a 2,000-item roadmap."""
    if size == "generated":
        roadmap = make_roadmap(slug="huge", topics=2000, phases=17, sections=50)
        assert roadmap.topics.count() == 2000
    else:
        roadmap = flask_roadmap
    # The version stamp, then (rendered once per version) 1 roadmap, 2 phases, 3 sections,
    # 4 active topics, 5 resources, 6 FAQs, 7 the roadmap's tags, 8 the roadmap's courses (the
    # courses app's partial, courses/_roadmap_courses.html); the stored page costs the stamp only.
    with django_assert_num_queries(9):
        response = client.get(roadmap.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('id="topic-') == roadmap.topics.count()
    with django_assert_num_queries(1):
        again = client.get(roadmap.get_absolute_url())
    assert again.content.decode().count('id="topic-') == roadmap.topics.count()


def test_roadmap_page_query_count_for_a_signed_in_learner_is_fixed(
    client, learner, django_assert_num_queries, flask_roadmap, make_roadmap
):
    huge = make_roadmap(slug="huge", topics=2000, phases=17, sections=50)
    client.force_login(learner)
    counts = []
    for roadmap in (flask_roadmap, huge):
        # First: the main content is rendered and stored for this content version.
        with CaptureQueriesContext(connection) as queries:
            assert client.get(roadmap.get_absolute_url()).status_code == 200
        counts.append(len(queries))
        # Then: session, user, roadmap; no tree, no template for items, and the learner's
        # statuses are kept per their progress version (it comes with the user row).
        with django_assert_num_queries(3):
            assert client.get(roadmap.get_absolute_url()).status_code == 200
    assert counts[0] == counts[1]


# --- Search page ------------------------------------------------------------------------------


def test_search_page_groups_hits_and_links_to_anchors(client, flask_roadmap):
    response = client.get("/search/", {"q": "jwt"})
    html = response.content.decode()
    assert response.status_code == 200
    assert outline(html).headings["h1"] == ["Search"]
    assert "Flask Roadmap (2026 Edition)" in outline(html).headings["h2"]
    assert 'href="/roadmaps/flask/#topic-jwt-authentication"' in html
    assert "<mark>JWT</mark> authentication" in html


def test_search_page_without_results_or_words(client, flask_roadmap):
    assert "No results for" in client.get("/search/", {"q": "haskell"}).content.decode()
    assert "Type a word" in client.get("/search/", {"q": "!!!"}).content.decode()
    assert client.get("/search/").status_code == 200


def test_search_page_escapes_the_query(client, flask_roadmap):
    html = client.get("/search/", {"q": "<b>jwt</b>"}).content.decode()
    assert "<b>jwt</b>" not in html
    assert "&lt;b&gt;jwt&lt;/b&gt;" in html


# --- robots.txt, sitemap.xml, base layout -----------------------------------------------------


@override_settings(SITE_URL="https://roadmaps.example.org")
def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Disallow: /admin/" in body
    assert "Sitemap: https://roadmaps.example.org/sitemap.xml" in body


@override_settings(SITE_URL="https://roadmaps.example.org")
def test_sitemap_lists_published_roadmaps_only(client, flask_roadmap):
    RoadmapFactory(slug="hidden-draft", status=Roadmap.Status.DRAFT)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<loc>https://roadmaps.example.org/roadmaps/flask/</loc>" in body
    assert "<loc>https://roadmaps.example.org/</loc>" in body
    assert "hidden-draft" not in body
    assert "<lastmod>" in body


def test_sitemap_lists_item_pages_that_have_a_body(client, flask_roadmap, settings):
    settings.SITE_URL = "https://roadmaps.example.org"
    from roadmaps.models import Topic

    with_body = Topic.objects.filter(roadmap=flask_roadmap).exclude(body="")
    bare = Topic.objects.filter(roadmap=flask_roadmap, body="").first()
    assert with_body.exists() and bare is not None
    draft = RoadmapFactory(slug="hidden-draft", status=Roadmap.Status.DRAFT)
    Topic.objects.filter(pk=with_body.first().pk).update(retired_at="2026-01-01T00:00:00Z")
    body = client.get("/sitemap.xml").content.decode()
    site = "https://roadmaps.example.org"
    live = with_body.filter(retired_at__isnull=True)
    assert all(f"<loc>{site}{topic.get_absolute_url()}</loc>" in body for topic in live)
    assert body.count("/items/") == live.count()
    assert f"/items/{bare.key}/" not in body
    assert f"/roadmaps/{draft.slug}/items/" not in body


def test_header_for_signed_out_visitors(client, db):
    html = client.get("/").content.decode()
    assert f'href="{reverse("account_login")}?next=/"' in html
    assert 'role="search"' in html
    assert "data-theme-toggle" in html
    assert "Sign out" not in html


def test_header_for_signed_in_learners_has_a_csrf_protected_sign_out(client, learner):
    client.force_login(learner)
    html = client.get("/").content.decode()
    assert f'action="{reverse("account_logout")}"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Sign in</a>" not in html


def test_messages_are_shown():
    from django.template.loader import render_to_string

    html = render_to_string("base.html", {"messages": ["Your settings were saved."]})
    assert '<p class="message">Your settings were saved.</p>' in html


def test_500_page_renders_without_a_request_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Something went wrong" in html
    assert "/static/css/site.css" in html


def test_faq_answers_keep_their_paragraphs(client):
    roadmap = RoadmapFactory()
    FAQFactory(roadmap=roadmap, question="Why?", answer="First part.\n\nSecond part.")
    html = client.get(roadmap.get_absolute_url()).content.decode()
    assert "<p>First part.</p><p>Second part.</p>" in html


def test_resource_description_and_faq_category_show_escaped(client):
    phase = PhaseFactory()
    ResourceFactory(roadmap=phase.roadmap, phase=phase, description="Docs <i>and</i> guides")
    FAQFactory(roadmap=phase.roadmap, question="When?", category="Time & <b>pace</b>")
    html = client.get(phase.roadmap.get_absolute_url()).content.decode()
    assert '<span class="resource__description">Docs &lt;i&gt;and&lt;/i&gt; guides</span>' in html
    assert "Time &amp; &lt;b&gt;pace&lt;/b&gt;" in html


def test_phase_accent_is_a_palette_attribute(client):
    phase = PhaseFactory(accent="orange")
    TopicFactory(section=SectionFactory(phase=phase))
    html = client.get(phase.roadmap.get_absolute_url()).content.decode()
    assert 'data-accent="orange"' in html


def test_catalog_marks_featured_and_trending_roadmaps(client):
    RoadmapFactory(title="Marked", featured=True, trending=True)
    RoadmapFactory(title="Plain")
    html = client.get("/").content.decode()
    assert html.count('<span class="tag tag--featured">Featured</span>') == 1
    assert html.count('<span class="tag tag--trending">Trending</span>') == 1
