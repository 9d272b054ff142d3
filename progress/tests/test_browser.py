"""Progress in a real browser (system Chromium): marking, reloading, bars, completion."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from progress.models import Progress
from roadmaps.models import Roadmap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small(make_roadmap):
    roadmap = make_roadmap(slug="small", phases=1, sections=1, topics=3)
    Roadmap.objects.filter(pk=roadmap.pk).update(
        completion_message="You finished Small!\nTime to build your own project."
    )
    return roadmap


def control(page, key: str):
    return page.locator(f"#topic-{key} > .pc")


POSITION = {"done": 1, "in_progress": 2, "skipped": 3}


def button(page, key: str, state: str):
    return control(page, key).locator(f"button:nth-child({POSITION[state]})")


def test_marks_items_reloads_and_completes(page, live_server, small):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/roadmaps/small/")
    expect(page.locator("#progress-roadmap")).to_contain_text("Track your progress")
    expect(page.locator("#progress-roadmap")).to_contain_text("kept in this browser only")

    # Click: updates in place (no navigation), the bars appear and the change is announced.
    button(page, "item-0", "done").click()
    expect(page.locator("#progress-roadmap")).to_contain_text("1 of 3 done (33%)")
    expect(page.locator("[data-progress-announcer]")).to_have_text(
        "Item 0: done. 1 of 3 done (33%)."
    )
    expect(button(page, "item-0", "done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".pg-phase")).to_contain_text("1 of 3 done (33%)")
    assert page.url.endswith("/roadmaps/small/")

    # Keyboard: focus a control and press "s" to skip.
    button(page, "item-1", "done").focus()
    page.keyboard.press("s")
    expect(button(page, "item-1", "skipped")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#progress-roadmap")).to_contain_text(
        "1 of 3 done (50%) · 0 in progress · 1 skipped"
    )
    # How the percent is counted is one click away (a disclosure), not a line of clutter.
    formula = page.locator("#progress-roadmap .pg-formula")
    expect(formula).to_be_hidden()
    page.get_by_text("How is this counted?").click()
    expect(formula).to_contain_text("50% = 1 done \u00f7 (3 items \u2212 1 skipped)")

    page.reload()
    expect(button(page, "item-0", "done")).to_have_attribute("aria-pressed", "true")
    expect(button(page, "item-1", "skipped")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#progress-roadmap .pg-bar")).to_have_attribute("aria-valuenow", "50")
    expect(page.locator(".pg-complete")).to_have_count(0)

    expect(page.locator("#completion")).to_contain_text("What completing this roadmap means")
    button(page, "item-2", "done").click()
    expect(page.locator(".pg-complete__headline")).to_contain_text("Roadmap complete.")
    expect(page.locator("#completion h2")).to_have_text("You finished Small!")
    expect(page.locator("[data-progress-announcer]")).to_contain_text("You finished Small!")
    page.reload()
    expect(page.locator("#completion")).to_contain_text("Time to build your own project.")
    expect(page.locator("#progress-roadmap")).to_contain_text("2 of 3 done (100%)")

    # Pressing a pressed button clears the item again.
    button(page, "item-2", "done").click()
    expect(button(page, "item-2", "done")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".pg-complete")).to_have_count(0)
    expect(page.locator("#completion")).to_contain_text("What completing this roadmap means")
    assert not Progress.objects.exists()  # a visitor's progress lives in the session


def test_works_without_javascript(browser, live_server, small):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/roadmaps/small/")
    button(page, "item-1", "in_progress").click()
    page.wait_for_url(re.compile(r"/roadmaps/small/#topic-item-1$"))
    expect(button(page, "item-1", "in_progress")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#progress-roadmap")).to_contain_text("0 of 3 done (0%) · 1 in progress")

    page.get_by_role("link", name="Reset progress").click()
    page.get_by_role("button", name="Yes, reset my progress").click()
    page.wait_for_url(re.compile(r"/roadmaps/small/#progress-roadmap$"))
    expect(button(page, "item-1", "in_progress")).to_have_attribute("aria-pressed", "false")
    context.close()


def test_signed_in_learner_sees_the_dashboard(page, live_server, small, learner):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    client = Client()
    client.force_login(learner)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/roadmaps/small/")
    button(page, "item-0", "in_progress").click()
    expect(page.locator("#progress-roadmap")).to_contain_text("1 in progress")
    assert Progress.objects.get(user=learner).status == "in_progress"

    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("link", name="Continue where you left off: Item 0")).to_have_attribute(
        "href", "/roadmaps/small/#topic-item-0"
    )
    results = Axe().run(page, context={"include": [[".pg-page"]]})
    assert results.violations_count == 0, results.generate_report()

    page.goto(f"{live_server.url}/roadmaps/small/")
    results = Axe().run(page, context={"include": [["#progress-roadmap"], [".pc"]]})
    assert results.violations_count == 0, results.generate_report()
