"""Item bodies: the Markdown sanitizer (roadmaps.markdown) and bodies in content files."""

from __future__ import annotations

import textwrap
from html.parser import HTMLParser

import pytest

from roadmaps.content import ContentError, roadmap_export, roadmap_import_text, roadmap_parse
from roadmaps.markdown import ALLOWED_TAGS, BODY_MAX_LENGTH, markdown_html
from roadmaps.models import Roadmap, Topic
from roadmaps.tests.factories import TopicFactory

# (what an editor might write, what must not reach the page)
DROPPED = [
    pytest.param("<script>alert(1)</script>", "<script", id="script-tag"),
    pytest.param("[click](javascript:alert(1))", 'href="javascript', id="javascript-link"),
    pytest.param("[click](JaVaScRiPt:alert(1))", "alert(1)</a>", id="javascript-link-mixed-case"),
    pytest.param("[click](data:text/html;base64,PHNjcmlwdD4=)", 'href="data', id="data-link"),
    pytest.param("[click](/admin/)", 'href="/admin/"', id="relative-link"),
    pytest.param('<a href="https://x.example" onclick="steal()">x</a>', "<a href", id="raw-a"),
    pytest.param("<img src=x onerror=alert(1)>", "<img", id="raw-img-with-handler"),
    pytest.param("![logo](https://img.example/logo.png)", "<img", id="markdown-image"),
    pytest.param("<div style='position:fixed'>x</div>", "<div", id="raw-div-style"),
    pytest.param("<!-- hidden --> text", "<!--", id="comment"),
    pytest.param("<iframe src=https://x.example></iframe>", "<iframe", id="iframe"),
    pytest.param("# Title", "<h1", id="h1-becomes-h3"),
    pytest.param("| a | b |\n|---|---|\n| 1 | 2 |", "<table", id="table"),
]


@pytest.mark.parametrize(("markdown", "forbidden"), DROPPED)
def test_the_sanitizer_drops_what_a_body_must_not_carry(markdown, forbidden):
    html = markdown_html(markdown)
    assert forbidden.lower() not in html.lower()
    elements = _Elements()
    elements.feed(html)
    assert elements.tags <= ALLOWED_TAGS
    assert not [name for name, _ in elements.attributes if name.startswith("on")]
    assert all(
        value.startswith(("https://", "http://", "mailto:"))
        for name, value in elements.attributes
        if name == "href"
    )


class _Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML (text is not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


KEPT = [
    pytest.param("Some **bold** and _em_.", "<p>Some <strong>bold</strong> and <em>em</em>.</p>"),
    pytest.param("Run `flask run`.", "<p>Run <code>flask run</code>.</p>"),
    pytest.param("```python\nprint(1)\n```", "<pre><code>print(1)\n</code></pre>"),
    pytest.param("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    pytest.param("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    pytest.param("## Requirements", "<h3>Requirements</h3>"),
    pytest.param("### Stretch goals", "<h4>Stretch goals</h4>"),
    pytest.param("> Quote", "<blockquote>\n<p>Quote</p>\n</blockquote>"),
    pytest.param("- [ ] Tests pass", "<ul>\n<li>[ ] Tests pass</li>\n</ul>"),
    pytest.param(
        "[Flask docs](https://flask.palletsprojects.com/)",
        '<p><a href="https://flask.palletsprojects.com/" rel="noopener nofollow">'
        "Flask docs</a></p>",
    ),
    pytest.param(
        "[Write to us](mailto:team@example.com)",
        '<p><a href="mailto:team@example.com" rel="noopener nofollow">Write to us</a></p>',
    ),
    pytest.param("1 < 2 & 3 > 2", "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"),
]


@pytest.mark.parametrize(("markdown", "html"), KEPT)
def test_the_sanitizer_keeps_the_allowed_markup(markdown, html):
    assert markdown_html(markdown) == html


def test_raw_html_is_shown_as_text_not_markup():
    assert markdown_html("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"


@pytest.mark.django_db
def test_saving_an_item_renders_its_body_once_and_normalises_line_ends():
    topic = TopicFactory(body="Line one\r\n\r\n**two**\r\n")
    topic.refresh_from_db()
    assert topic.body == "Line one\n\n**two**"
    assert topic.body_html == "<p>Line one</p>\n<p><strong>two</strong></p>"
    topic.body = "changed"
    topic.save(update_fields=["body"])
    topic.refresh_from_db()
    assert topic.body_html == "<p>changed</p>"


WITH_BODIES = textwrap.dedent(
    """\
    slug: bodies
    title: Bodies
    status: published
    phases:
      - title: Basics
        level: beginner
        sections:
          - title: First steps
            topics:
              - key: hello
                title: Hello
                body: |
                  ## What to build

                  A page that says **hello**.

                  - [ ] It answers `GET /`
                  - [ ] [Docs](https://flask.palletsprojects.com/)

                  ```
                  fenced code stays
                  ```
              - key: one-line
                title: One line
                body: Just a sentence.
              - key: none
                title: No body
    """
)


@pytest.mark.django_db
def test_bodies_import_render_and_round_trip_byte_identical():
    roadmap_import_text(WITH_BODIES, source="bodies.yaml")
    hello = Topic.objects.get(key="hello")
    assert hello.body.startswith("## What to build\n\nA page that says **hello**.")
    assert "<h3>What to build</h3>" in hello.body_html
    assert '<a href="https://flask.palletsprojects.com/" rel="noopener nofollow">' in (
        hello.body_html
    )
    assert "<pre><code>fenced code stays" in hello.body_html
    assert Topic.objects.get(key="none").body_html == ""
    first = roadmap_export(Roadmap.objects.get(slug="bodies"))
    assert "    body: |" in first or "body: |" in first
    assert "body: Just a sentence." in first
    assert "key: none\n" in first and first.count("body:") == 2
    roadmap_import_text(first, source="again.yaml")
    assert roadmap_export(Roadmap.objects.get(slug="bodies")) == first


@pytest.mark.django_db
def test_editing_a_body_in_the_file_updates_its_html():
    roadmap_import_text(WITH_BODIES, source="bodies.yaml")
    changed = WITH_BODIES.replace("body: Just a sentence.", "body: Now _two_ words.")
    roadmap_import_text(changed, source="bodies.yaml")
    assert Topic.objects.get(key="one-line").body_html == "<p>Now <em>two</em> words.</p>"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("[1, 2]", "expected Markdown text", id="a-list"),
        pytest.param("x" * (BODY_MAX_LENGTH + 1), f"the limit is {BODY_MAX_LENGTH}", id="too-long"),
    ],
)
@pytest.mark.django_db
def test_a_bad_body_is_refused_with_its_line(body, message):
    text = WITH_BODIES.replace("body: Just a sentence.", f"body: {body}")
    with pytest.raises(ContentError) as error:
        roadmap_parse(text, source="bad.yaml")
    line = WITH_BODIES.splitlines().index("            body: Just a sentence.") + 1
    assert f"bad.yaml, line {line}" in str(error.value)
    assert message in str(error.value)
    assert not Roadmap.objects.exists()


@pytest.mark.django_db
def test_the_item_admin_edits_the_body_and_shows_it_as_learners_see_it(client, editor):
    topic = TopicFactory(body="Read **this**.\n\n<script>alert(1)</script>")
    client.force_login(editor)
    html = client.get(f"/admin/roadmaps/topic/{topic.pk}/change/").content.decode()
    assert '<textarea name="body" cols="90" rows="16"' in html
    assert "Raw HTML and images are not shown" in html  # the help text on the Markdown allowed
    assert '<div class="body-preview"><p>Read <strong>this</strong>.</p>' in html
    assert "<script>alert(1)</script>" not in html
