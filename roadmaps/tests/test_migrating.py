"""`import_roadmapfinder`: the old site's shapes and quirks, one case each, on synthetic
fixture repositories (roadmaps/tests/sitefixture)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from roadmaps.content import roadmap_export
from roadmaps.migrating.courses import courses_from_repository, courses_read
from roadmaps.migrating.items import item_text
from roadmaps.migrating.phases import phase_level
from roadmaps.migrating.repository import roadmaps_from_repository
from roadmaps.models import Phase, Roadmap, Topic
from roadmaps.tests.sitefixture import site_repository

DATA = "app/Roadmaps/Gardening/roadmapData.js"


def _phases_js(*phases: str) -> str:
    return "export const roadmapData = [" + ",".join(phases) + "];\n"


def _phase(subtitle: str, items: str = '"One"', extra: str = "") -> str:
    return (
        f'{{ title: "Phase 1: P", subtitle: "{subtitle}", {extra}'
        f'sections: [{{ title: "S", items: [{items}] }}] }}'
    )


def _only(tmp_path: Path, **files: str | None):
    [roadmap], general = roadmaps_from_repository(site_repository(tmp_path, **files))
    return roadmap, general


def _topics(document: dict) -> list[dict]:
    return [t for p in document["phases"] for s in p["sections"] for t in s["topics"]]


# --- Items -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "summary", "kind"),
    [
        ("Routing → URL rules", "Routing", "URL rules", "topic"),
        ("Forms → WTForms → and CSRF", "Forms", "WTForms → and CSRF", "topic"),  # two arrows
        ("Plain item", "Plain item", "", "topic"),
        ("Project: Build a blog", "Build a blog", "", "project"),
        ("Goal: Ship it", "Ship it", "", "goal"),
        ("Outcome: Confident in X", "Confident in X", "", "goal"),
        ("3. Numbered → yes", "Numbered", "yes", "topic"),
    ],
)
def test_item_lines(line, title, summary, kind):
    found = item_text(line)
    assert (found.title, found.summary, found.kind) == (title, summary, kind)


def test_duplicate_item_titles_get_distinct_keys_the_same_on_every_run(tmp_path):
    js = _phases_js(_phase("Beginner", '"Setup → a", "Setup → b", "Setup"'))
    roadmap, _ = _only(tmp_path, **{DATA: js})
    keys = [t["key"] for t in _topics(roadmap.document)]
    assert keys == ["setup", "setup-s", "setup-2", "herb-spiral"]
    assert len(roadmap.report.renamed) == 2
    again, _ = _only(tmp_path, **{DATA: js})
    assert [t["key"] for t in _topics(again.document)] == keys


# --- Phase subtitles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subtitle", "level", "label", "duration"),
    [
        (
            "Beginner Level (0-1 Month)",
            "beginner",
            "Beginner Level",
            {"min": 0, "max": 1, "unit": "months", "label": "0-1 Month"},
        ),
        (
            "Intermediate (1\u20131.5 Months)",
            "intermediate",
            "Intermediate",
            {"min": 1, "max": 1.5, "unit": "months", "label": "1\u20131.5 Months"},
        ),
        (
            "Advanced (3 to 4 Weeks)",
            "advanced",
            "Advanced",
            {"min": 3, "max": 4, "unit": "weeks", "label": "3 to 4 Weeks"},
        ),
        ("Expert (10 Days)", "expert", "Expert", {"min": 10, "unit": "days", "label": "10 Days"}),
        (
            "2 weeks \u2014 Beginner",
            "beginner",
            "Beginner",
            {"min": 2, "unit": "weeks", "label": "2 weeks"},
        ),
        ("Beginner \u2013 30%", "beginner", "Beginner", {"label": "30%"}),
        ("Advanced (4-2 Weeks)", "advanced", "Advanced", {"label": "4-2 Weeks"}),
        ("Mandatory Prerequisites", "prerequisite", "Mandatory Prerequisites", None),
        ("Reality Check", "", "Reality Check", None),
        ("Phase 3 (2 Months)", "", "Phase 3", {"min": 2, "unit": "months", "label": "2 Months"}),
        ("", "", "", None),
    ],
)
def test_subtitles_give_level_label_and_duration(subtitle, level, label, duration):
    found = phase_level(subtitle, "Title")
    assert (found.level, found.label, found.duration) == (level, label, duration)


@pytest.mark.parametrize("subtitle", ["Reality Check", "Phase 3"])
def test_subtitle_without_a_level_gives_a_phase_without_one(tmp_path, subtitle):
    js = _phases_js(_phase("Advanced Level"), _phase(subtitle, '"Two"'))
    roadmap, _ = _only(tmp_path, **{DATA: js})
    second = roadmap.document["phases"][1]
    assert "level" not in second and second["label"] == subtitle
    assert any("no level" in note and subtitle in note for note in roadmap.report.levels)


def test_durations_in_weeks_days_and_fractions_are_imported(tmp_path, db):
    js = _phases_js(
        _phase("Beginner (1\u20131.5 Months)"),
        _phase("Reality Check (10 Days)", '"Two"'),
        _phase("Advanced \u2013 30%", '"Three"'),
    )
    call_command(
        "import_roadmapfinder",
        str(site_repository(tmp_path, **{DATA: js})),
        "--apply",
        stdout=StringIO(),
    )
    phases = list(Phase.objects.filter(roadmap__slug="gardening").order_by("position"))
    found = [
        (p.level, p.level_label, p.duration_min, p.duration_max, p.duration_unit, p.timeline_text)
        for p in phases
    ]
    assert found == [
        ("beginner", "Beginner", Decimal(1), Decimal("1.5"), "months", "1\u20131.5 Months"),
        ("", "Reality Check", Decimal(10), Decimal(10), "days", "10 Days"),
        ("advanced", "Advanced", None, None, "", "30%"),
    ]


# --- Files -------------------------------------------------------------------------------------


def test_json_roadmap_data_and_indented_export(tmp_path):
    site_repository(tmp_path, **{DATA: None})
    (tmp_path / "app/Roadmaps/Gardening/roadmapData.json").write_text(
        '[{"title": "J", "subtitle": "Beginner", "sections": [{"title": "S", "items": ["A"]}]}]'
    )
    [roadmap], _ = roadmaps_from_repository(tmp_path)
    assert roadmap.document["phases"][0]["title"] == "J"
    indented = "    export  const roadmapData = [" + _phase("Expert") + "];\n"
    roadmap, _ = _only(tmp_path / "b", **{DATA: indented})
    assert roadmap.document["phases"][0]["level"] == "expert"


def test_empty_files_are_read_as_nothing(tmp_path):
    roadmap, _ = _only(
        tmp_path,
        **{"app/Roadmaps/Gardening/docs.jsx": "", "app/Roadmaps/Gardening/Faq.jsx": "  \n"},
    )
    assert "resources" not in roadmap.document
    assert roadmap.document["faqs"] == []
    assert roadmap.report.counts["phases"] == 2


def test_non_literal_values_are_dropped_with_a_warning(tmp_path):
    roadmap, _ = _only(tmp_path)
    assert "icon" not in roadmap.document["phases"][0]
    assert roadmap.document["phases"][0]["accent"] == "green"  # "from-green-500 to-lime-500"
    assert any("icon (jsx self closing element)" in note for note in roadmap.report.dropped)
    assert not any("'proTip'" in note for note in roadmap.report.dropped)
    section = roadmap.document["phases"][0]["sections"][0]
    assert section["tip"] == "Practise a little every day"  # proTip is a section note


def test_urls_that_are_not_urls_are_refused(tmp_path):
    docs = 'export default [{title: "Home", url: "#"}, {title: "X", url: "javascript:alert(1)"}]'
    roadmap, _ = _only(tmp_path, **{"app/Roadmaps/Gardening/docs.jsx": docs})
    assert "resources" not in roadmap.document
    assert len(roadmap.report.refused) == 2
    assert "'#' is not an http(s) address" in roadmap.report.refused[0]


def test_faq_categories_and_projects_keyed_by_level(tmp_path):
    faq = 'export default [{category: "Start", questions: [{question: "Q?", answer: "A."}]}]'
    projects = 'export default {beginner: [{title: "Small"}], advanced: ["Big"]}'
    js = _phases_js(_phase("Beginner"), _phase("Advanced", '"Two"'))
    roadmap, _ = _only(
        tmp_path,
        **{
            DATA: js,
            "app/Roadmaps/Gardening/Faq.jsx": faq,
            "app/Roadmaps/Gardening/projects.jsx": projects,
        },
    )
    assert roadmap.document["faqs"] == [{"question": "Q?", "answer": "A.", "category": "Start"}]
    first, second = roadmap.document["phases"]
    assert first["sections"][-1]["topics"][0]["title"] == "Small"
    assert second["sections"][-1]["topics"][0] == {
        "key": "big",
        "title": "Big",
        "kind": "project",
    }


def test_page_heading_edition_and_completion_message(tmp_path):
    roadmap, _ = _only(tmp_path)
    document = roadmap.document
    assert (document["title"], document["edition"]) == ("Gardening Roadmap", "2031")
    assert document["completion_message"] == "Congratulations! You are a gardener!"
    assert (document["category"], document["summary"]) == ("Outdoors", "Grow things at home.")
    assert document["trending"] is True and "featured" not in document
    assert document["tags"] == ["soil"]


def test_catalog_tags_once_per_slug_text_only(tmp_path):
    catalog = (
        'export const roadmapsData = [{ title: "Gardening Roadmap", link: "/Roadmaps/Gardening",'
        ' tags: ["Soil", "soil", 3, "Herbs", "#"] }];\n'
    )
    roadmap, general = _only(tmp_path, **{"app/RoadmapPage/roadmapsData.js": catalog})
    assert roadmap.document["tags"] == ["Herbs", "Soil"]  # the order export writes
    assert any("'soil' repeats 'Soil'" in note for note in roadmap.report.renamed)
    assert any("3 is not a tag name" in note for note in roadmap.report.refused)
    assert any("'#' is not a tag name" in note for note in roadmap.report.refused)
    assert not any("tags" in note for note in general.dropped)


# --- Courses -----------------------------------------------------------------------------------

COURSES = """{
  "categories": [{"id": "gardening", "name": "Gardening"}],
  "courses": [
    {"id": 7, "category": "gardening", "title": "A", "level": "Beginner", "language": "English",
     "videoId": "https://youtu.be/a"},
    {"id": 7, "category": "gardening", "title": "B", "level": "advanced", "language": "aiagents",
     "videoId": "https://youtu.be/b"},
    {"id": 8, "category": "baking", "title": "C", "language": "Hindi", "videoId": "#"},
    {"id": 9, "category": "baking", "title": "D", "language": "hindi", "videoId": "https://youtu.be/d"}
  ]
}"""


def test_courses_quirks(tmp_path):
    repository = site_repository(tmp_path, **{"app/Courses/coursesData.json": COURSES})
    courses, report = courses_read(repository, roadmaps={"gardening"})
    assert courses_from_repository(repository, roadmaps={"gardening"}) == courses
    assert [(c.key, c.title, c.language, c.level) for c in courses] == [
        ("7", "A", "en", "beginner"),
        ("7-2", "B", "", "advanced"),  # duplicate id renamed; 'aiagents' is not a language
        ("9", "D", "hi", ""),
    ]
    assert courses[0].category == "Gardening" and courses[0].roadmaps == ["gardening"]
    assert courses[2].roadmaps == []
    assert any("duplicate id" in note for note in report.renamed)
    assert any("'aiagents' is not a language" in note for note in report.refused)
    assert any("'#' is not an http(s) address" in note for note in report.refused)
    # C is refused for its link before its category is looked at; D is kept, and noted.
    assert sum("'baking' is not in the category list" in note for note in report.notes) == 1


# --- The command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_out_then_apply_round_trip_is_stable(tmp_path):
    repository = site_repository(tmp_path / "site")
    out = tmp_path / "out"
    stdout = StringIO()
    call_command("import_roadmapfinder", str(repository), "--out", str(out), stdout=stdout)
    assert not Roadmap.objects.exists()  # --out alone writes files only
    assert "gardening: 2 phases, 3 sections, 7 items, 2 resources, 2 faqs, 1 courses" in (
        stdout.getvalue()
    )
    written = (out / "gardening.yaml").read_text()
    courses = yaml.safe_load((out / "courses" / "courses.yaml").read_text())
    assert courses["courses"][0]["roadmaps"] == ["gardening"]
    call_command("import_roadmapfinder", str(repository), "--apply", stdout=StringIO())
    roadmap = Roadmap.objects.get(slug="gardening")
    assert roadmap_export(roadmap) == written  # import_roadmapfinder -> export is the same file
    version = roadmap.content_version
    stdout = StringIO()
    call_command("import_roadmapfinder", str(repository), "--apply", stdout=stdout)
    assert "gardening: unchanged" in stdout.getvalue()
    call_command("import_roadmaps", str(out), stdout=stdout)  # the --out directory imports as is
    assert Topic.objects.count() == 7
    roadmap.refresh_from_db()
    assert roadmap.content_version == version


@pytest.mark.django_db
def test_nothing_to_do_and_not_a_checkout_are_errors(tmp_path):
    with pytest.raises(CommandError, match="--out DIR"):
        call_command("import_roadmapfinder", str(tmp_path))
    with pytest.raises(CommandError, match="app/Roadmaps not found"):
        call_command("import_roadmapfinder", str(tmp_path), "--apply")
    assert not Roadmap.objects.exists()


def test_files_that_are_not_javascript_or_nest_too_deeply_are_refused(tmp_path):
    deep = "export default " + "[" * 5000 + "]" * 5000 + ";\n"
    roadmap, _ = _only(
        tmp_path,
        **{
            "app/Roadmaps/Gardening/docs.jsx": "export default [{title: 'x', url: ",
            "app/Roadmaps/Gardening/Faq.jsx": deep,
        },
    )
    assert "app/Roadmaps/Gardening/docs.jsx, line 1: not valid JS" in roadmap.report.refused
    assert (
        "app/Roadmaps/Gardening/Faq.jsx, line 1: nested too deeply, left out"
        in roadmap.report.refused
    )
    assert roadmap.report.counts["phases"] == 2  # the other files still come across


# --- Courses with --apply ---------------------------------------------------------------------

MAPPED_COURSES = """{
  "categories": [{"id": "gardening", "name": "Gardening"}],
  "courses": [
    {"id": "soil", "category": "gardening", "title": "Soil", "level": "All levels",
     "language": "aiagents", "videoId": "https://youtu.be/s"},
    {"id": "seeds", "category": "gardening", "title": "Seeds", "level": "Expert",
     "language": "Hindi", "videoId": "https://youtu.be/e"},
    {"id": "tools", "category": "gardening", "title": "Tools", "level": "Intermediate",
     "language": "English", "videoId": "https://youtu.be/t"}
  ]
}"""


@pytest.mark.django_db
def test_apply_imports_courses_once_with_levels_mapped_and_reported(tmp_path):
    from courses.models import Course

    repository = site_repository(tmp_path, **{"app/Courses/coursesData.json": MAPPED_COURSES})
    stdout = StringIO()
    call_command("import_roadmapfinder", str(repository), "--apply", stdout=stdout)
    output = stdout.getvalue()
    assert "courses: 3 in the file, 3 created, 0 updated, 0 unchanged" in output
    assert "mapped: course 1 ('soil'): level 'none' -> beginner" in output
    assert "mapped: course 1 ('soil'): no language -> en" in output
    assert "mapped: course 2 ('seeds'): level 'expert' -> advanced" in output
    rows = {c.key: (c.level, c.language, c.category.name) for c in Course.objects.all()}
    assert rows == {
        "soil": ("beginner", "en", "Gardening"),
        "seeds": ("advanced", "hi", "Gardening"),
        "tools": ("intermediate", "en", "Gardening"),
    }
    assert set(Course.objects.get(key="tools").roadmaps.values_list("slug", flat=True)) == {
        "gardening"
    }
    ids = sorted(Course.objects.values_list("pk", flat=True))
    # Again: the same keys, nothing created or changed.
    stdout = StringIO()
    call_command("import_roadmapfinder", str(repository), "--apply", stdout=stdout)
    assert "courses: 3 in the file, 0 created, 0 updated, 3 unchanged" in stdout.getvalue()
    assert sorted(Course.objects.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_a_course_the_catalog_refuses_leaves_the_roadmaps_unimported_too(tmp_path):
    from courses.models import Course

    refused = MAPPED_COURSES.replace(
        '"category": "gardening", "title": "Tools"', '"category": "!!!", "title": "Tools"'
    )
    repository = site_repository(tmp_path, **{"app/Courses/coursesData.json": refused})
    with pytest.raises(CommandError) as raised:
        call_command("import_roadmapfinder", str(repository), "--apply", stdout=StringIO())
    assert "nothing imported (roadmaps nor courses)" in str(raised.value)
    assert "category '!!!' has no letters or digits" in str(raised.value)
    assert not Roadmap.objects.exists() and not Course.objects.exists()


@pytest.mark.django_db
def test_import_courses_refuses_a_bad_file_and_writes_nothing(tmp_path):
    from courses.models import Course

    path = tmp_path / "courses.yaml"
    path.write_text(
        "format: 1\ncourses:\n  - {key: a, title: A, url: 'https://x.example/', level: guru}\n"
        "  - {key: b, title: B, url: 'https://x.example/b', colour: red}\n"
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_courses", str(path))
    message = str(raised.value)
    assert "course 1 ('a'): level 'guru' is not one of" in message
    assert "course 2 ('b'): unknown field(s) colour" in message
    assert not Course.objects.exists()
