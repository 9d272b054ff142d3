"""Phase durations (roadmaps/durations.py, roadmaps/phase_model.py): text and mapping forms in
content files, each quirk of the text form, the DB constraints, the migration of month ranges,
totals in months, phases without a level, and the admin."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from roadmaps.content import ContentError, roadmap_export, roadmap_import_text
from roadmaps.durations import Duration, DurationError, duration_parse, timeline_text
from roadmaps.models import Level, Phase, Roadmap
from roadmaps.tests.factories import PhaseFactory, RoadmapFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-2 months", (D(1), D(2), "months")),
        ("0-1", (D(0), D(1), "months")),  # format 1's `months: 0-1`: months by default
        ("1\u20131.5 Months", (D(1), D("1.5"), "months")),  # en dash, capital, fraction
        ("1 \u2014 2 weeks", (D(1), D(2), "weeks")),  # em dash with spaces
        ("1 to 2 Weeks", (D(1), D(2), "weeks")),
        ("2 weeks", (D(2), D(2), "weeks")),  # one number is a range of one
        ("1 week", (D(1), D(1), "weeks")),
        ("10 days", (D(10), D(10), "days")),
        ("(0-1 Month)", (D(0), D(1), "months")),  # as the seed writes it
        ("  3-4 mo ", (D(3), D(4), "months")),
        ("0.25-0.5 months", (D("0.25"), D("0.5"), "months")),
    ],
)
def test_duration_text_is_read(text, expected):
    duration = duration_parse(text)
    assert (duration.low, duration.high, duration.unit) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "expected a range like '1-2 months'"),
        ("", "expected a range like"),
        ("1-2 fortnights", "unknown unit 'fortnights'; use months, weeks or days"),
        ("3-1 months", "the range 3-1 ends before it starts"),
        ("1.125 weeks", "has more than two decimals"),
        ("1000 days", "is more than 999.99"),
        ("-1-2 months", "expected a range like"),
        ("30%", "expected a range like"),
        ("1-2-3 months", "expected a range like"),
    ],
)
def test_junk_duration_text_is_refused_with_a_clear_error(text, message):
    with pytest.raises(DurationError, match=message.replace("(", r"\(")):
        duration_parse(text)


@pytest.mark.parametrize(
    ("duration", "shown"),
    [
        (Duration(D(3), D(4), "months"), "Months 3\u20134"),
        (Duration(D(1), D(2), "weeks"), "Weeks 1\u20132"),
        (Duration(D(10), D(10), "days"), "10 Days"),  # one number is a length
        (Duration(D(1), D(1), "weeks"), "1 Week"),
        (Duration(D(1), D("1.50"), "months", "1\u20131.5 Months"), "1\u20131.5 Months"),
        (Duration(label="20% of your time"), "20% of your time"),
        (Duration(), ""),
    ],
)
def test_timeline_text_is_the_label_as_written_else_the_range(duration, shown):
    assert timeline_text(duration) == shown


FILE = textwrap.dedent(
    """\
    slug: timed
    title: Timed
    status: published
    phases:
      - title: Whole months
        level: beginner
        months: 0-1
        sections: []
      - title: Fractions
        level: intermediate
        duration: 1-1.5 months
        sections: []
      - title: Weeks with a label
        level: advanced
        duration:
          min: 2
          max: 3
          unit: weeks
          label: 2-3 Weeks (part time)
        sections: []
      - title: Reality Check
        label: Reality Check
        duration: 10 days
        sections: []
      - title: Share
        level: expert
        duration:
          label: 20% of your time
        sections: []
    """
)


def _phases() -> list[tuple]:
    return [
        (p.level, p.duration_min, p.duration_max, p.duration_unit, p.duration_label)
        for p in Phase.objects.filter(roadmap__slug="timed").order_by("position")
    ]


def test_every_duration_form_imports_and_exports_back_the_same():
    roadmap_import_text(FILE)
    assert _phases() == [
        ("beginner", D(0), D(1), "months", ""),
        ("intermediate", D(1), D("1.5"), "months", ""),
        ("advanced", D(2), D(3), "weeks", "2-3 Weeks (part time)"),
        ("", D(10), D(10), "days", ""),
        ("expert", None, None, "", "20% of your time"),
    ]
    exported = roadmap_export(Roadmap.objects.get(slug="timed"))
    # Whole months keep format 1's short form; everything else is written as `duration`.
    assert "months: 0-1\n" in exported
    assert "duration: 1-1.5 months\n" in exported and "duration: 10 days\n" in exported
    assert "level:" not in exported.split("Reality Check")[1].split("- title")[0]
    # Round trip: import -> export -> import -> export is stable, and the rows are the same.
    before = _phases()
    roadmap_import_text(exported)
    assert _phases() == before
    assert roadmap_export(Roadmap.objects.get(slug="timed")) == exported


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            "duration: 1-1.5 months",
            "duration: next year",
            "line 11 (phases[1].duration): expected a range like",
        ),
        (
            "duration: 1-1.5 months",
            "duration: 2-1 months",
            "(phases[1].duration): the range 2-1 ends",
        ),
        ("duration: 1-1.5 months", "duration: [1, 2]", "expected text like '1-2 months'"),
        ("duration: 1-1.5 months", "duration: 1-2 months\n    months: 1-2", "not both"),
        ("months: 0-1", "months: 2 weeks", "write weeks or days under `duration`"),
        ("unit: weeks", "unit: fortnights", "unknown unit 'fortnights'"),
        ("min: 2", "mini: 2", "unknown field 'mini'"),
        ("min: 2\n      max: 3\n", "max: 3\n", "max without min"),
        ("label: 20% of your time", "label: ''", "give min (and max when it differs)"),
        ("label: 20% of your time", "label: " + "x" * 81, "at most 80 characters"),
    ],
)
def test_a_bad_duration_in_a_file_is_named_on_its_own_line(replace, by, message):
    text = FILE.replace(replace, by, 1)
    assert text != FILE
    with pytest.raises(ContentError) as raised:
        roadmap_import_text(text)
    assert any(message in problem for problem in raised.value.problems), raised.value.problems
    assert len(raised.value.problems) == 1  # said once
    assert not Roadmap.objects.filter(slug="timed").exists()


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"duration_min": D(3), "duration_max": D(1)}, "phase_duration_ordered"),
        ({"duration_min": D(-1), "duration_max": D(1)}, "phase_duration_not_negative"),
        ({"duration_min": D(1), "duration_max": None}, "phase_duration_complete"),
        ({"duration_unit": ""}, "phase_duration_complete"),
        ({"duration_min": None, "duration_max": None}, "phase_duration_complete"),
    ],
)
def test_the_database_refuses_an_incomplete_or_backwards_range(values, constraint):
    phase = PhaseFactory()
    for name, value in values.items():
        setattr(phase, name, value)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        phase.save()
    with pytest.raises(ValidationError):
        phase.full_clean()


def test_a_label_without_a_range_and_no_range_at_all_are_allowed():
    PhaseFactory(duration_min=None, duration_max=None, duration_unit="", duration_label="30%")
    PhaseFactory(duration_min=None, duration_max=None, duration_unit="", level="")


def test_totals_convert_weeks_and_days_to_months_and_skip_phases_without_a_level():
    roadmap = RoadmapFactory(slug="mixed")
    PhaseFactory(roadmap=roadmap, level="", duration_min=0, duration_max=1)
    PhaseFactory(
        roadmap=roadmap, level="advanced", duration_min=2, duration_max=10, duration_unit="weeks"
    )
    PhaseFactory(
        roadmap=roadmap, level="beginner", duration_min=40, duration_max=75, duration_unit="days"
    )
    found = Roadmap.objects.with_level_and_duration().get(pk=roadmap.pk)
    # 10 weeks = 2.31 months, 75 days = 2.47 months: the roadmap ends in month 3.
    assert found.level_range == (Level.BEGINNER, Level.ADVANCED)
    assert found.duration_months == 3
    assert list(Roadmap.objects.catalog(level="beginner")) == [roadmap]
    assert list(Roadmap.objects.catalog(level="")) == [roadmap]


def test_a_roadmap_whose_phases_have_no_level_has_no_level_range():
    roadmap = RoadmapFactory()
    PhaseFactory(roadmap=roadmap, level="")
    found = Roadmap.objects.with_level_and_duration().get(pk=roadmap.pk)
    assert (found.level_range, found.duration_months) == (None, 1)


def test_the_page_shows_a_phase_without_a_level_and_its_time_as_written(client):
    roadmap_import_text(FILE)
    html = client.get(reverse("roadmaps:detail", args=["timed"])).content.decode()
    assert (
        '<span class="level-pill">Reality Check</span> <span class="phase__months">10 Days</span>'
        in html
    )
    assert '<span class="phase__months">2-3 Weeks (part time)</span>' in html
    assert '<span class="phase__months">Months 1\u20131.5</span>' in html
    assert 'level-pill--"' not in html and 'level-pill--">' not in html


def _phase_form(phase: Phase, **changes) -> dict:
    data = {
        "position": phase.position,
        "title": phase.title,
        "level": "",
        "level_label": "",
        "duration_min": "1",
        "duration_max": "1.5",
        "duration_unit": "months",
        "duration_label": "1\u20131.5 Months",
        "summary": "",
        "accent": "",
        "sections-TOTAL_FORMS": 0,
        "sections-INITIAL_FORMS": 0,
        "resources-TOTAL_FORMS": 0,
        "resources-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def test_an_editor_adds_and_changes_a_phase_duration_in_the_admin(client, editor):
    roadmap = RoadmapFactory()
    client.force_login(editor)
    add = reverse("admin:roadmaps_phase_add")
    response = client.post(add, {**_phase_form(Phase(title="Pacing"), roadmap=roadmap.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    phase = Phase.objects.get(title="Pacing")
    assert (phase.level, phase.duration_min, phase.duration_max, phase.duration_unit) == (
        "",
        D(1),
        D("1.5"),
        "months",
    )
    assert phase.timeline_text == "1\u20131.5 Months"
    change = reverse("admin:roadmaps_phase_change", args=[phase.pk])
    response = client.post(
        change,
        _phase_form(
            phase, duration_min="2", duration_max="3", duration_unit="weeks", duration_label=""
        ),
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.timeline_text == "Weeks 2\u20133"
    # A backwards or incomplete range is refused on the form, naming the field.
    response = client.post(change, _phase_form(phase, duration_min="5", duration_max="3"))
    assert "The time range must not end before it starts." in response.content.decode()
    response = client.post(change, _phase_form(phase, duration_unit=""))
    assert (
        "Give the start, end and unit of the time range, or none of them."
        in response.content.decode()
    )
    phase.refresh_from_db()
    assert (phase.duration_min, phase.duration_max) == (D(2), D(3))


def test_the_migration_turns_month_ranges_into_durations(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        ("roadmaps", "0010_search_documents_trigrams"),
        ("roadmaps", "0011_phase_durations"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    roadmap = apps.get_model("roadmaps", "Roadmap").objects.create(slug="old", title="Old")
    OldPhase = apps.get_model("roadmaps", "Phase")
    timed = OldPhase.objects.create(
        roadmap=roadmap, title="T", level="beginner", min_months=2, max_months=4
    )
    open_ended = OldPhase.objects.create(roadmap=roadmap, title="O", level="expert", position=1)
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    apps = executor.loader.project_state([after]).apps
    NewPhase = apps.get_model("roadmaps", "Phase")
    moved = NewPhase.objects.get(pk=timed.pk)
    assert (moved.duration_min, moved.duration_max, moved.duration_unit, moved.duration_label) == (
        D(2),
        D(4),
        "months",
        "",
    )
    untouched = NewPhase.objects.get(pk=open_ended.pk)
    assert (untouched.duration_min, untouched.duration_unit) == (None, "")
    # And back: a range in weeks becomes whole months covering it.
    NewPhase.objects.filter(pk=open_ended.pk).update(
        duration_min=3, duration_max=10, duration_unit="weeks"
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    back = apps.get_model("roadmaps", "Phase").objects.get(pk=open_ended.pk)
    assert (back.min_months, back.max_months) == (0, 3)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
