"""The Flask page as a learner moves through it, in a real browser (system Chromium): the phase
overview, folding phases, "hide done items", the bar that stays in view, the navigator's
figures; at 1366 px and on a 360 px phone, light and dark, with axe; and without JavaScript."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from progress.services import progress_set_many
from roadmaps.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _instant_scrolling(page: Page) -> None:
    page.emulate_media(reduced_motion="reduce")


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def sign_in(page: Page, url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": url,
            }
        ]
    )


def keys_of_phase(roadmap, position: int) -> list[str]:
    return list(
        Topic.objects.filter(roadmap=roadmap, section__phase__position=position)
        .order_by("section__position", "position")
        .values_list("key", flat=True)
    )


@pytest.fixture
def learner_with_phase_0_done(learner, flask_roadmap):
    statuses = dict.fromkeys(keys_of_phase(flask_roadmap, 0), "done")
    statuses[keys_of_phase(flask_roadmap, 2)[0]] = "done"
    progress_set_many(user=learner, roadmap=flask_roadmap, statuses=statuses)
    return learner


def toggle(page: Page, position: int):
    return page.locator(f"#phase-{position} .phase__toggle")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_overview_shows_where_the_path_starts(
    page: Page, live_server, flask_roadmap, size, scheme
):
    page.set_viewport_size(SIZES[size])
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    page.goto(f"{live_server.url}/roadmaps/flask/")
    overview = page.get_by_role("region", name="The path at a glance")
    rows = overview.get_by_role("link")
    expect(rows).to_have_count(17)
    first = rows.first
    expect(first).to_have_accessible_name(re.compile(r"^Phase 0 Programming Foundations"))
    expect(first).to_be_in_viewport()  # the first screen shows where the path starts
    expect(rows.nth(3)).to_contain_text("Months 2\u20133")  # a position on the timeline
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    # Without marks nothing is folded and there are no figures.
    expect(page.locator(".phase__toggle[aria-expanded='false']")).to_have_count(0)
    expect(page.locator(".ovp:not(:empty)")).to_have_count(0)
    expect(page.locator("#completion")).to_contain_text("What completing this roadmap means")
    assert blocking_violations(page) == []

    rows.nth(9).click()
    expect(page).to_have_url(re.compile(r"#phase-9$"))
    expect(page.locator("#phase-9-title")).to_be_in_viewport()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_completed_phases_fold_for_a_learner_and_choices_are_remembered(
    page: Page, live_server, learner_with_phase_0_done, size, scheme
):
    page.set_viewport_size(SIZES[size])
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    sign_in(page, live_server.url, learner_with_phase_0_done)
    page.goto(f"{live_server.url}/roadmaps/flask/")

    # Phase 0 is complete: folded, its figures in the overview and the navigator.
    expect(toggle(page, 0)).to_have_attribute("aria-expanded", "false")
    expect(toggle(page, 0)).to_have_attribute("aria-controls", "phase-0-body")
    expect(page.locator("#phase-0-body")).to_be_hidden()
    expect(toggle(page, 1)).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#ovp-0")).to_have_text("18 of 18 done")
    expect(page.locator("#ovp-2")).to_have_text("1 of 23 done")
    navigator = page.get_by_role("navigation", name="Phases")
    expect(
        navigator.get_by_role(
            "link", name=re.compile(r"^Phase 0\s*:\s*Programming Foundations\s*,\s*complete$")
        )
    ).to_have_count(1)
    expect(
        navigator.get_by_role("link", name=re.compile(r"^Phase 2\s*:\s*Flask Core\s*,\s*4% done$"))
    ).to_have_count(1)
    assert blocking_violations(page) == []

    # Keyboard: the disclosure button folds and unfolds with Enter and Space.
    toggle(page, 1).focus()
    page.keyboard.press("Enter")
    expect(toggle(page, 1)).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#phase-1-body")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.locator("#phase-1-body")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#phase-1-body")).to_be_hidden()

    page.reload()
    expect(toggle(page, 1)).to_have_attribute("aria-expanded", "false")
    expect(toggle(page, 0)).to_have_attribute("aria-expanded", "false")

    # Following a link into a folded phase opens it (and that is remembered too).
    page.get_by_role("region", name="The path at a glance").get_by_role("link").first.click()
    expect(page.locator("#phase-0-body")).to_be_visible()
    expect(page.locator("#phase-0-title")).to_be_in_viewport()
    page.reload()
    expect(toggle(page, 0)).to_have_attribute("aria-expanded", "true")

    # The overall bar stays in view while reading far down the page.
    navigator.get_by_role("link", name=re.compile(r"^Phase 12\b")).click()
    expect(page.locator("#phase-12-title")).to_be_in_viewport()
    bar = page.locator("#sticky-pg")
    expect(bar).to_be_in_viewport()
    expect(bar.get_by_role("progressbar", name="Roadmap progress")).to_have_attribute(
        "aria-valuenow", "11"
    )
    expect(bar).to_contain_text("19 of 173 done")
    if size == "desktop":
        expect(page.locator("[data-current-phase]")).to_contain_text(
            "Phase 12: Advanced Integrations"
        )
    # The navigator covers nothing of the phase being read.
    title_top = page.locator("#phase-12-title").bounding_box()["y"]
    nav_box = navigator.bounding_box()
    if size == "phone":
        assert nav_box["y"] + nav_box["height"] <= title_top


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_hide_done_items_is_a_remembered_switch(
    page: Page, live_server, learner_with_phase_0_done, size
):
    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server.url, learner_with_phase_0_done)
    page.goto(f"{live_server.url}/roadmaps/flask/#phase-2")
    switch = page.get_by_role("switch", name="Hide done items")
    expect(switch).to_have_attribute("aria-checked", "false")
    first = page.locator("#topic-installing-flask")
    expect(first).to_be_visible()

    switch.focus()
    page.keyboard.press("Space")
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(page.locator("[data-progress-announcer]")).to_have_text("19 done items hidden.")
    expect(first).to_be_hidden()

    # Marking an item done keeps it in view while it has focus; it goes once focus leaves.
    second = page.locator("#topic-flask-app-lifecycle")
    done = second.locator(".pc button").first
    done.click()
    expect(done).to_have_attribute("aria-pressed", "true")
    expect(second).to_be_visible()
    expect(page.locator("#ovp-2")).to_have_text("2 of 23 done")  # the overview follows
    expect(page.locator("#sticky-pg")).to_contain_text("20 of 173 done")
    page.locator("#topic-app-flask-name .pc button").first.focus()
    expect(second).to_be_hidden()

    page.reload()
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(first).to_be_hidden()
    # An address naming a done item (a search result, "continue") shows it all the same.
    page.goto(f"{live_server.url}/roadmaps/flask/#topic-installing-flask")
    page.reload()
    expect(first).to_be_visible()
    expect(first).to_be_in_viewport()
    page.goto(f"{live_server.url}/roadmaps/flask/")
    expect(first).to_be_hidden()
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(page.locator("[data-progress-announcer]")).to_have_text("Done items shown.")
    expect(first).to_be_visible()
    assert blocking_violations(page) == []


def test_without_javascript_every_phase_is_open_and_marking_works(
    browser, live_server, learner_with_phase_0_done
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, learner_with_phase_0_done)
    page.goto(f"{live_server.url}/roadmaps/flask/")
    expect(page.locator(".phase__toggle")).to_have_count(0)
    expect(page.locator(".phase__body:visible")).to_have_count(17)
    expect(page.locator(".items > li:visible")).to_have_count(173)
    expect(page.locator("[data-hide-done]")).to_be_hidden()

    item = page.locator("#topic-http-methods-flask-basics")
    item.locator(".pc button").nth(1).click()  # "In progress", through the page's one form
    page.wait_for_url(re.compile(r"/roadmaps/flask/#topic-http-methods-flask-basics$"))
    expect(page.locator("#topic-http-methods-flask-basics .pc button").nth(1)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#ovp-2")).to_have_text("1 of 23 done")
    expect(page.locator("#progress-roadmap")).to_contain_text("1 in progress")
    context.close()
