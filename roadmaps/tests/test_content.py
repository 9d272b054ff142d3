"""roadmaps/content/: parsing, validation, all-or-nothing import, update in place, export."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers import serialize
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conftest import FLASK_CONTENT
from progress.models import Progress
from roadmaps.content import (
    ContentError,
    roadmap_export,
    roadmap_import_files,
    roadmap_import_text,
    roadmap_parse,
)
from roadmaps.models import FAQ, Phase, Resource, Roadmap, Section, Topic

pytestmark = pytest.mark.django_db

MINIMAL = textwrap.dedent(
    """\
    slug: demo
    title: Demo Roadmap
    edition: '2026'
    status: published
    completion_message: Done!
    phases:
      - title: Basics
        level: beginner
        label: Beginner Level
        months: 0-1
        summary: Start here
        resources:
          - kind: video_course
            title: A course in Hindi
            url: https://videos.example.com/course
            language: hi
        sections:
          - title: First steps
            topics:
              - key: hello
                title: Hello
                summary: Say hello
              - key: build-it
                title: Build it
                kind: project
    faqs:
      - question: Why?
        answer: Because.
    """
)


def content_snapshot() -> str:
    """Every content row, serialized: equal snapshots mean the import changed nothing."""
    rows = [
        *Roadmap.objects.order_by("pk"),
        *Phase.objects.order_by("pk"),
        *Section.objects.order_by("pk"),
        *Topic.objects.order_by("pk"),
        *Resource.objects.order_by("pk"),
        *FAQ.objects.order_by("pk"),
    ]
    return serialize("json", rows)


def write(tmp_path: Path, text: str, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- The bundled Flask roadmap ------------------------------------------------------------


def test_flask_file_has_every_phase_section_and_item_of_the_seed(flask_roadmap):
    phases = list(flask_roadmap.phases.order_by("position"))
    assert [p.position for p in phases] == list(range(17))
    assert Section.objects.filter(phase__roadmap=flask_roadmap).count() == 49
    assert flask_roadmap.topics.active().count() == 173
    assert flask_roadmap.display_title == "Flask Roadmap (2026 Edition)"
    assert flask_roadmap.completion_message.splitlines()[0] == (
        "Congratulations! You're Flask Developer and Industry Ready!"
    )

    first, web = phases[0], phases[1]
    assert (first.title, first.level, first.label, first.timeline_text) == (
        "Programming Foundations",
        "prerequisite",
        "Mandatory Prerequisites",
        "",
    )
    assert (web.level, web.label, web.timeline_text) == (
        "beginner",
        "Beginner Level",
        "Months 0\u20131",
    )
    assert phases[2].timeline_text == "Months 1\u20132"
    assert phases[12].timeline_text == "Months 11\u201312"
    assert all(p.timeline_text == "" and p.level == "expert" for p in phases[13:])
    assert [p.level for p in phases[:11]] == (
        ["prerequisite", "beginner", "beginner"] + ["intermediate"] * 3 + ["advanced"] * 5
    )


def test_flask_projects_and_goals_have_their_kinds(flask_roadmap):
    projects = list(flask_roadmap.topics.filter(kind="project").values_list("title", flat=True))
    goals = list(flask_roadmap.topics.filter(kind="goal").values_list("title", flat=True))
    assert "Blog App with Flask + Templates" in projects
    assert goals == ["Think like a Python engineer", "Flask like enterprise backend"]
    portfolio = flask_roadmap.topics.filter(section__title="Portfolio Projects")
    assert portfolio.count() == 6
    assert set(portfolio.values_list("kind", flat=True)) == {"project"}
    assert len(projects) == 6 + 6  # six phase projects, six portfolio projects


def test_flask_items_are_in_seed_order(flask_roadmap):
    client_server = flask_roadmap.topics.get(key="client-server-model")
    assert client_server.summary == "Understanding request-response cycle"
    assert client_server.section.title == "HTTP & Web Basics"
    first_section = Section.objects.get(phase__roadmap=flask_roadmap, phase__position=0, position=0)
    assert list(first_section.topics.values_list("title", flat=True)) == [
        "Data basics",
        "Control flow",
        "Functions",
        "Comprehensions",
        "Exception handling",
        "File handling",
        "Virtual environments",
        "Package managers",
    ]


def test_export_of_bundled_file_is_byte_identical(flask_roadmap):
    assert roadmap_export(flask_roadmap) == FLASK_CONTENT.read_text(encoding="utf-8")


def test_export_import_export_round_trip(tmp_path):
    roadmap_import_files([write(tmp_path, MINIMAL)])
    first = roadmap_export(Roadmap.objects.get(slug="demo"))
    roadmap_import_files([write(tmp_path, first, "again.yaml")])
    assert roadmap_export(Roadmap.objects.get(slug="demo")) == first


# --- Idempotency and updating in place -----------------------------------------------------


def test_importing_twice_changes_nothing(tmp_path):
    path = write(tmp_path, MINIMAL)
    [first] = roadmap_import_files([path])
    assert first.created > 0
    before = content_snapshot()
    [second] = roadmap_import_files([path])
    assert not second.changed and second.skipped
    assert str(second) == "demo: unchanged (file as last imported)"
    assert content_snapshot() == before


HELLO = "          - key: hello\n            title: Hello\n            summary: Say hello\n"
BUILD = "          - key: build-it\n            title: Build it\n            kind: project\n"
REWORDED_HELLO = "          - key: hello\n            title: Hello, world\n"


def mark_done(user, topic: Topic) -> Progress:
    return Progress.objects.create(
        user=user,
        roadmap=topic.roadmap,
        topic=topic,
        status="done",
        updated_at=topic.roadmap.updated_at,
    )


def test_reimport_updates_in_place_and_keeps_progress(tmp_path, learner):
    assert HELLO + BUILD in MINIMAL
    roadmap_import_files([write(tmp_path, MINIMAL)])
    hello = Topic.objects.get(key="hello")
    mark_done(learner, hello)
    # Reword "hello", drop its summary and move it after "build-it".
    roadmap_import_files([write(tmp_path, MINIMAL.replace(HELLO + BUILD, BUILD + REWORDED_HELLO))])
    moved = Topic.objects.get(key="hello")
    assert moved.pk == hello.pk
    assert (moved.title, moved.position, moved.summary) == ("Hello, world", 1, "")
    assert Progress.objects.get(user=learner).topic_id == hello.pk


def test_removed_topic_is_retired_with_progress_and_deleted_without(tmp_path, learner):
    roadmap_import_files([write(tmp_path, MINIMAL)])
    hello = Topic.objects.get(key="hello")
    mark_done(learner, hello)
    [report] = roadmap_import_files([write(tmp_path, MINIMAL.replace(HELLO + BUILD, ""))])
    assert (report.retired, report.deleted) == (1, 1)
    retired = Topic.objects.get(key="hello")
    assert retired.retired_at is not None and retired.section is None
    assert not Topic.objects.filter(key="build-it").exists()
    assert Topic.objects.active().count() == 0

    # Putting the item back brings the same row (and its progress) back.
    roadmap_import_files([write(tmp_path, MINIMAL)])
    back = Topic.objects.get(key="hello")
    assert back.pk == hello.pk and back.retired_at is None
    assert Progress.objects.filter(topic=back).count() == 1


def test_reimport_of_flask_after_progress_keeps_every_row(flask_roadmap, learner):
    mark_done(learner, flask_roadmap.topics.get(key="jwt-authentication"))
    before = content_snapshot()
    [report] = roadmap_import_files([FLASK_CONTENT])
    assert not report.changed
    assert content_snapshot() == before


# --- Every validation error leaves the database unchanged ----------------------------------

BROKEN = {
    "bad yaml": ("phases: [unclosed", "not valid YAML"),
    "unknown level": (MINIMAL.replace("level: beginner", "level: guru"), "unknown value 'guru'"),
    "duplicate key": (MINIMAL.replace("key: build-it", "key: hello"), "duplicate key 'hello'"),
    "javascript url": (
        MINIMAL.replace("https://videos.example.com/course", "javascript:alert(1)"),
        "is not an http:// or https:// address",
    ),
    "data url": (
        MINIMAL.replace("https://videos.example.com/course", "data:text/html,hi"),
        "is not an http:// or https:// address",
    ),
    "missing title": (MINIMAL.replace("title: Demo Roadmap\n", ""), "(title): is required"),
    "missing topic title": (MINIMAL.replace("title: Build it", "title: ''"), "is required"),
    "bad key": (MINIMAL.replace("key: hello", "key: Hello World"), "Use lowercase letters"),
    "unknown field": (
        MINIMAL.replace("summary: Start here", "sumary: Start here"),
        "unknown field 'sumary'",
    ),
    "bad months": (MINIMAL.replace("months: 0-1", "months: 3-1"), "ends before it starts"),
    "bad language": (MINIMAL.replace("language: hi", "language: hindi"), "ISO 639-1"),
    "not a mapping": ("- just\n- a list\n", "expected a mapping"),
    "anchor and alias": (
        MINIMAL.replace("title: Demo Roadmap", "title: &t Demo Roadmap\ncategory: *t"),
        "anchors and aliases (&name, *name) are not allowed",
    ),
    "list as a key": ("slug: demo\n? [a, b] : 1\n", "line 2: a key must be a plain value"),
    "duplicate yaml key": (
        MINIMAL.replace("status: published", "status: published\nstatus: draft"),
        "duplicate key 'status'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_invalid_file_changes_nothing_and_names_the_problem(case, tmp_path, flask_roadmap):
    text, expected = BROKEN[case]
    before = content_snapshot()
    path = write(tmp_path, text, "broken.yaml")
    with pytest.raises(CommandError) as raised:
        call_command("import_roadmaps", str(FLASK_CONTENT), str(path))
    message = str(raised.value)
    assert "nothing imported" in message
    assert "broken.yaml" in message
    assert expected in message
    assert content_snapshot() == before


def test_problem_names_the_line_and_path(tmp_path):
    text = MINIMAL.replace("level: beginner", "level: guru")
    with pytest.raises(ContentError) as raised:
        roadmap_parse(text, source="demo.yaml")
    [problem] = raised.value.problems
    line = text.splitlines().index("    level: guru") + 1  # the field's line, not its phase's
    assert problem.startswith(f"demo.yaml, line {line} (phases[0].level): unknown value 'guru'")


def test_one_bad_file_among_good_ones_imports_none(tmp_path):
    good = write(tmp_path, MINIMAL, "a.yaml")
    bad = write(
        tmp_path,
        MINIMAL.replace("slug: demo", "slug: other").replace("level: beginner", "level: x"),
        "b.yaml",
    )
    with pytest.raises(ContentError):
        roadmap_import_files([good, bad])
    assert not Roadmap.objects.exists()


def test_two_files_with_one_slug_are_refused(tmp_path):
    with pytest.raises(ContentError, match="slug 'demo' is also used by"):
        roadmap_import_files(
            [write(tmp_path, MINIMAL, "a.yaml"), write(tmp_path, MINIMAL, "b.yaml")]
        )


def test_command_imports_a_directory_and_reports(tmp_path, capsys):
    write(tmp_path, MINIMAL)
    call_command("import_roadmaps", str(tmp_path))
    assert "demo: " in capsys.readouterr().out
    call_command("import_roadmaps", str(tmp_path))
    assert "demo: unchanged" in capsys.readouterr().out


def test_export_command_writes_file_and_refuses_unknown_slug(tmp_path, flask_roadmap):
    out = tmp_path / "out.yaml"
    call_command("export_roadmap", "flask", "--output", str(out))
    assert out.read_text(encoding="utf-8") == FLASK_CONTENT.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="no roadmap with slug 'nope'"):
        call_command("export_roadmap", "nope")


# --- The content version: once per changed roadmap per import ------------------------------


def versions() -> dict[str, int]:
    return dict(Roadmap.objects.values_list("slug", "content_version"))


def test_import_bumps_each_changed_roadmap_once_and_unchanged_ones_not_at_all(tmp_path):
    demo = write(tmp_path, MINIMAL, "demo.yaml")
    other = write(tmp_path, MINIMAL.replace("slug: demo", "slug: other"), "other.yaml")
    roadmap_import_files([demo, other])
    before = versions()

    roadmap_import_files([demo, other])
    assert versions() == before

    write(tmp_path, MINIMAL.replace("title: Hello", "title: Hi").replace("Why?", "How?"))
    roadmap_import_files([demo, other])
    assert versions() == {"demo": before["demo"] + 1, "other": before["other"]}


def test_import_queues_link_checks_only_for_new_urls_after_commit(
    tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[list[str]] = []
    monkeypatch.setattr("roadmaps.changes.links_queue_new", lambda *, urls: queued.append(urls))
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_import_files([write(tmp_path, MINIMAL)])
    assert queued == [["https://videos.example.com/course"]]
    queued.clear()
    moved = MINIMAL.replace("videos.example.com/course", "videos.example.com/moved")
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_import_files([write(tmp_path, moved.replace("Say hello", "Greet"))])
    assert queued == [["https://videos.example.com/moved"]]
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_import_files([write(tmp_path, moved.replace("Say hello", "Wave"))])
    assert queued == []  # a change without new URLs checks nothing


def test_a_rolled_back_import_leaves_the_version_and_queues_nothing(
    tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    roadmap_import_files([write(tmp_path, MINIMAL)])
    before, snapshot = versions(), content_snapshot()
    changed = MINIMAL.replace("videos.example.com/course", "videos.example.com/new")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        roadmap_import_files([write(tmp_path, changed)])
        raise RuntimeError("the caller's transaction failed")
    assert callbacks == []
    assert versions() == before
    assert content_snapshot() == snapshot


# --- Query counts: bulk writes, and a re-import that changes nothing only reads --------------


def test_importing_flask_into_an_empty_database_stays_within_its_query_budget(
    django_assert_max_num_queries,
):
    # Look up the slug, insert the roadmap, then one bulk insert per level and depth (SQLite
    # splits the 173 items in two), the savepoint and the content version bump: 18 today,
    # 689 with the per-row signals.
    with django_assert_max_num_queries(350):
        roadmap_import_files([FLASK_CONTENT])
    assert Topic.objects.count() == 173


def _unchanged_reimport_queries(text: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        [report] = [roadmap_import_text(text)]
    assert not report.changed
    return len(queries)


def test_an_unchanged_reimport_only_reads_and_does_not_grow_with_the_roadmap(
    flask_roadmap, make_roadmap, django_assert_max_num_queries
):
    # The roadmap, then its phases, sections, items, resources and FAQs, one query each, in a
    # savepoint: nothing is written and no item loads its section on its own.
    with django_assert_max_num_queries(25):
        [report] = roadmap_import_files([FLASK_CONTENT])
    assert not report.changed
    flask = _unchanged_reimport_queries(roadmap_export(flask_roadmap))
    huge = make_roadmap(slug="huge", phases=17, sections=50, topics=2000)
    huge.tags.set(flask_roadmap.tags.all())  # the same kinds of rows, 12 times the items
    assert _unchanged_reimport_queries(roadmap_export(huge)) == flask


LATER_PHASE = """\
  - title: Later
    level: expert
    sections:
      - title: Elsewhere
        topics:
          - key: hello
            title: Hello
            summary: Say hello
"""


def test_moving_an_item_to_another_phase_keeps_its_row_and_progress(tmp_path, learner):
    roadmap_import_files([write(tmp_path, MINIMAL)])
    hello = Topic.objects.get(key="hello")
    mark_done(learner, hello)
    moved = MINIMAL.replace(HELLO, "").replace("faqs:\n", LATER_PHASE + "faqs:\n")
    [report] = roadmap_import_files([write(tmp_path, moved)])
    assert (report.created, report.updated, report.deleted, report.retired) == (2, 2, 0, 0)
    back = Topic.objects.get(key="hello")
    assert back.pk == hello.pk
    assert (back.section.title, back.section.phase.position) == ("Elsewhere", 1)
    assert Topic.objects.get(key="build-it").position == 0
    assert Progress.objects.get(user=learner).topic_id == hello.pk


# --- Hostile files: refused early, with file and line ---------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(9)
)


def test_nested_aliases_are_refused_at_the_first_anchor():
    with pytest.raises(ContentError) as raised:
        roadmap_parse(LAUGHS, source="laughs.yaml")
    assert raised.value.problems == [
        "laughs.yaml, line 1: anchors and aliases (&name, *name) are not allowed in content "
        "files; write the value out in full"
    ]


def test_a_list_as_a_key_is_a_content_error_with_its_line():
    with pytest.raises(ContentError) as raised:
        roadmap_parse("slug: demo\ntitle: Demo\n? [a, b] : 1\n", source="keys.yaml")
    assert raised.value.problems == [
        "keys.yaml, line 3: a key must be a plain value, not a list or mapping"
    ]


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, settings):
    settings.CONTENT_MAX_FILE_BYTES = len(MINIMAL.encode()) - 1
    path = write(tmp_path, MINIMAL)
    with pytest.raises(ContentError, match="CONTENT_MAX_FILE_BYTES"):
        roadmap_import_files([path])
    with pytest.raises(ContentError, match=r"over \d+ bytes"):
        roadmap_import_text(MINIMAL)
    assert not Roadmap.objects.exists()
    settings.CONTENT_MAX_FILE_BYTES = len(MINIMAL.encode())
    roadmap_import_files([path])
    assert Roadmap.objects.filter(slug="demo").exists()


def test_a_file_over_the_row_limit_is_refused_once_and_changes_nothing(settings):
    flask = FLASK_CONTENT.read_text()
    settings.CONTENT_MAX_ROWS = 50  # Flask has 17 phases, 49 sections and 173 items
    with pytest.raises(ContentError) as raised:
        roadmap_import_text(flask)
    limit_problems = [p for p in raised.value.problems if "CONTENT_MAX_ROWS" in p]
    assert len(limit_problems) == 1
    assert re.search(r"line \d+ .*more than 50 rows in one file", limit_problems[0])
    assert not Roadmap.objects.exists()
    settings.CONTENT_MAX_ROWS = 20_000
    roadmap_import_text(flask)
    assert Roadmap.objects.filter(slug="flask").exists()


def test_each_problem_is_listed_once_with_the_line_of_its_field():
    text = MINIMAL.replace("key: build-it", "key: Build It!").replace(
        "language: hi", "language: english"
    )
    with pytest.raises(ContentError) as raised:
        roadmap_parse(text, source="demo.yaml")
    lines = text.splitlines()
    assert raised.value.problems == [
        f"demo.yaml, line {lines.index('        language: english') + 1} "
        "(phases[0].resources[0].language): Use a two-letter ISO 639-1 language code, "
        "e.g. 'en' or 'hi'. (value: 'english')",
        f"demo.yaml, line {lines.index('          - key: Build It!') + 1} "
        "(phases[0].sections[0].topics[1].key): Use lowercase letters, digits and single "
        "hyphens, e.g. 'jwt-authentication'. (value: 'Build It!')",
    ]


def test_deeply_nested_lists_are_refused_not_crashing():
    # The C parser recurses once per level without Python's guard: this would crash the process.
    text = "slug: " + "[" * 100_000 + "]" * 100_000 + "\n"
    with pytest.raises(ContentError) as raised:
        roadmap_parse(text, source="deep.yaml")
    assert raised.value.problems == [
        "deep.yaml, line 1: lists and mappings are nested more than 40 deep"
    ]


def test_section_notes_round_trip():
    text = MINIMAL.replace(
        "      - title: First steps\n",
        "      - title: First steps\n        goal: Say hello\n        tip: Smile\n",
    )
    report = roadmap_import_text(text, source="demo.yaml")
    section = Section.objects.get(title="First steps")
    assert (section.goal, section.practice, section.outcome, section.tip) == (
        "Say hello", "", "", "Smile",
    )  # fmt: skip
    exported = roadmap_export(Roadmap.objects.get(slug="demo"))
    assert "        goal: Say hello\n        tip: Smile\n        topics:" in exported
    assert report.created and not roadmap_import_text(exported, source="x.yaml").changed


def test_resource_description_and_faq_category_round_trip():
    text = MINIMAL.replace(
        "        language: hi\n",
        "        language: hi\n        description: In Hindi\n",
    ).replace("    answer: Because.\n", "    answer: Because.\n    category: Basics\n")
    roadmap_import_text(text, source="demo.yaml")
    assert Resource.objects.get().description == "In Hindi"
    assert FAQ.objects.get().category == "Basics"
    exported = roadmap_export(Roadmap.objects.get(slug="demo"))
    assert "description: In Hindi" in exported and "category: Basics" in exported
    assert not roadmap_import_text(exported, source="x.yaml").changed


def test_phase_accent_from_the_palette_only():
    text = MINIMAL.replace(
        "    summary: Start here\n", "    summary: Start here\n    accent: pink\n"
    )
    roadmap_import_text(text, source="demo.yaml")
    assert Phase.objects.get().accent == "pink"
    assert "    accent: pink\n" in roadmap_export(Roadmap.objects.get(slug="demo"))
    with pytest.raises(ContentError) as raised:
        roadmap_parse(text.replace("accent: pink", "accent: '#ff0000'"), source="demo.yaml")
    [problem] = raised.value.problems
    assert problem.endswith(
        "(phases[0].accent): unknown value '#ff0000'; "
        "expected one of: slate, green, blue, orange, pink"
    )


def test_featured_and_trending_flags_round_trip():
    text = MINIMAL.replace("status: published\n", "status: published\nfeatured: true\n")
    roadmap_import_text(text, source="demo.yaml")
    roadmap = Roadmap.objects.get(slug="demo")
    assert (roadmap.featured, roadmap.trending) == (True, False)
    exported = roadmap_export(roadmap)
    assert "featured: true\n" in exported and "trending" not in exported
    with pytest.raises(ContentError, match=r"\(trending\): expected true or false"):
        roadmap_parse(text + "trending: maybe\n", source="demo.yaml")
