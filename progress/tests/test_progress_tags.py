"""The roadmap page's progress partials: fixed queries, per-learner output, no view help."""

from __future__ import annotations

import re

import pytest

from progress.services import progress_set_many

SIZES = ["flask", "generated"]


@pytest.fixture
def sized_roadmap(request, flask_roadmap, make_roadmap):
    if request.param == "generated":
        roadmap = make_roadmap(slug="huge", topics=2000, phases=17, sections=50)
        assert roadmap.topics.count() == 2000
        return roadmap
    assert flask_roadmap.topics.count() == 173
    return flask_roadmap


def _half_the_keys(roadmap) -> dict[str, str]:
    keys = list(roadmap.topics.values_list("key", flat=True))
    states = ["done", "in_progress", "skipped"]
    return {key: states[n % 3] for n, key in enumerate(keys[::2])}


@pytest.mark.parametrize("sized_roadmap", SIZES, indirect=True)
def test_page_queries_for_a_learner_with_progress_are_fixed(
    client, learner, sized_roadmap, django_assert_num_queries
):
    statuses = _half_the_keys(sized_roadmap)
    progress_set_many(user=learner, roadmap=sized_roadmap, statuses=statuses)
    client.force_login(learner)
    # session, user, the roadmap's stamp; the page's own eight (roadmap, phases, sections,
    # topics, resources, FAQs, tags, courses); progress: the learner's statuses, phases, topics
    # for the summary
    with django_assert_num_queries(14):
        response = client.get(sized_roadmap.get_absolute_url())
    html = response.content.decode()
    done = sum(1 for status in statuses.values() if status == "done")
    assert f"{done} of {sized_roadmap.topics.count()} done" in html
    assert html.count('aria-pressed="true"') == len(statuses)
    # Once the content version's row, content and outline are kept, and the learner's
    # statuses per their progress version: session, user, stamp, whatever the roadmap's size.
    with django_assert_num_queries(3):
        again = client.get(sized_roadmap.get_absolute_url())
    assert again.content.decode().count('aria-pressed="true"') == len(statuses)
    assert f"{done} of {sized_roadmap.topics.count()} done" in again.content.decode()


@pytest.mark.parametrize("sized_roadmap", SIZES, indirect=True)
def test_page_queries_for_a_visitor_with_session_progress_are_fixed(
    client, sized_roadmap, django_assert_num_queries
):
    keys = list(sized_roadmap.topics.values_list("key", flat=True))[:40]
    for key in keys:
        client.post(f"/progress/{sized_roadmap.slug}/items/{key}/", {"status": "done"})
    # session, the roadmap's stamp; the page's own eight; progress: phases, topics for the
    # summary (statuses are in the session)
    with django_assert_num_queries(12):
        response = client.get(sized_roadmap.get_absolute_url())
    html = response.content.decode()
    assert f"40 of {sized_roadmap.topics.count()} done" in html
    assert html.count('aria-pressed="true"') == 40
    # Then the session and the stamp only.
    with django_assert_num_queries(2):
        again = client.get(sized_roadmap.get_absolute_url())
    assert again.content.decode().count('aria-pressed="true"') == 40


@pytest.mark.parametrize("sized_roadmap", SIZES, indirect=True)
def test_page_queries_for_a_learner_without_progress(
    client, learner, sized_roadmap, django_assert_num_queries
):
    client.force_login(learner)
    # session, user, the stamp, the page's eight, the learner's (empty) statuses: no summary
    # queries
    with django_assert_num_queries(12):
        response = client.get(sized_roadmap.get_absolute_url())
    assert "Track your progress" in response.content.decode()


def test_anonymous_page_costs_no_progress_queries(client, flask_roadmap, django_assert_num_queries):
    # The version stamp and the page's eight (the roadmaps tests pin these): no session, no
    # progress reads.
    with django_assert_num_queries(9):
        response = client.get(flask_roadmap.get_absolute_url())
    html = response.content.decode()
    assert html.count('<div class="pc"') == 173
    # One form for every control, with the page's one CSRF token.
    assert html.count('name="csrfmiddlewaretoken"') == 1
    assert html.count('form="pcf"') == 1


def test_the_page_is_never_shared_between_people(client, learner, other_learner, flask_roadmap):
    key = flask_roadmap.topics.first().key
    progress_set_many(user=learner, roadmap=flask_roadmap, statuses={key: "done"})
    client.force_login(learner)
    mine = client.get(flask_roadmap.get_absolute_url())
    assert "1 of 173 done" in mine.content.decode()
    assert "Cookie" in mine.get("Vary", "")

    client.force_login(other_learner)
    theirs = client.get(flask_roadmap.get_absolute_url())
    assert "1 of 173 done" not in theirs.content.decode()
    client.logout()
    anonymous = client.get(flask_roadmap.get_absolute_url())
    assert "1 of 173 done" not in anonymous.content.decode()
    assert "Cookie" in anonymous.get("Vary", "")


def test_controls_render_without_the_summary_tag(rf, learner, flask_roadmap):
    """A page that includes only the item control still works: the tag loads what it needs."""
    from django.template import Context, Template

    topic = flask_roadmap.topics.first()
    progress_set_many(user=learner, roadmap=flask_roadmap, statuses={topic.key: "skipped"})
    request = rf.get("/")
    request.user = learner
    request.session = {}
    html = Template("{% include 'progress/_topic_control.html' %}").render(
        Context({"topic": topic, "request": request})
    )
    assert f'aria-label="{topic.title}"' in html
    assert f'<button name="{topic.key}" value="n" aria-pressed="true">Skip</button>' in html


def test_item_titles_are_escaped_in_controls(rf, learner, make_roadmap):
    from django.template import Context, Template

    from roadmaps.models import Topic

    roadmap = make_roadmap(slug="esc", phases=1, sections=1, topics=1)
    Topic.objects.filter(roadmap=roadmap).update(title='<img src=x onerror="alert(1)">')
    topic = Topic.objects.get(roadmap=roadmap)
    request = rf.get("/")
    request.user = learner
    request.session = {}
    html = Template("{% include 'progress/_topic_control.html' %}").render(
        Context({"topic": topic, "request": request})
    )
    assert "<img" not in html
    assert 'aria-label="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"' in html


def test_the_control_has_a_button_per_status_in_the_models_order():
    from progress.models import Progress
    from progress.templatetags.progress_tags import CONTROL_BUTTONS, CONTROL_STATES

    assert [state for state, _label, _key in CONTROL_STATES] == Progress.Status.values
    assert set(CONTROL_BUTTONS) == {*Progress.Status.values, "none"}
    # Pressing the pressed button clears the item; the others set their own status.
    assert 'value="n" aria-pressed="true">Done<' in CONTROL_BUTTONS["done"]
    assert 'value="d" aria-pressed="false">Done<' in CONTROL_BUTTONS["skipped"]


PRESSED_LABELS = {"Done": "done", "In progress": "in_progress", "Skip": "skipped"}


def test_two_learners_filling_the_same_stored_content_see_only_their_marks(
    client, learner, other_learner, flask_roadmap
):
    first, second = flask_roadmap.topics.order_by("pk").values_list("key", flat=True)[:2]
    progress_set_many(user=learner, roadmap=flask_roadmap, statuses={first: "done"})
    progress_set_many(user=other_learner, roadmap=flask_roadmap, statuses={second: "skipped"})

    def statuses_seen(user) -> tuple[str, str]:
        client.force_login(user)
        html = client.get(flask_roadmap.get_absolute_url()).content.decode()
        found = []
        for key in (first, second):
            assert html.count(f'<button name="{key}" ') == 3  # the item's control is there
            pressed = re.search(
                f'<button name="{key}" value="n" aria-pressed="true">([^<]+)<', html
            )
            found.append(PRESSED_LABELS[pressed.group(1)] if pressed else "none")
        return found[0], found[1]

    # Alternating, so each fill runs on content and controls prepared for the other learner.
    for _ in range(2):
        assert statuses_seen(learner) == ("done", "none")
        assert statuses_seen(other_learner) == ("none", "skipped")
