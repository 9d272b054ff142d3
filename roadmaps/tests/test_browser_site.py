"""The public site in a real browser (system Chromium via pytest-playwright) against live_server.

Each test gets a fresh copy of the Flask roadmap (live_server needs a transactional database);
the live server itself is shared by the whole session.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def site(live_server, flask_roadmap) -> str:
    return live_server.url


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.fixture(autouse=True)
def _instant_scrolling(request) -> None:
    # Smooth scrolling is animated; with reduced motion the page jumps at once, so assertions
    # about what is in view do not race an animation (the CSS honours this preference).
    if "page" in request.fixturenames:
        request.getfixturevalue("page").emulate_media(reduced_motion="reduce")


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_catalog_lists_flask_and_passes_axe(page: Page, site: str):
    page.goto(site + "/")
    card = page.locator(".card", has_text="Flask Roadmap")
    expect(card).to_be_visible()
    expect(card).to_contain_text("(2026 Edition)")
    expect(card).to_contain_text("Prerequisite → Expert")
    expect(card).to_contain_text("~12 months")
    card.get_by_role("link", name=re.compile("Flask Roadmap")).click()
    expect(page).to_have_url(re.compile(r"/roadmaps/flask/$"))
    page.go_back()
    assert blocking_violations(page) == []


def test_roadmap_page_shows_all_phases_and_items_and_passes_axe(page: Page, site: str):
    page.goto(site + "/roadmaps/flask/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flask Roadmap (2026 Edition)")
    expect(page.locator("section.phase")).to_have_count(17)
    expect(page.locator(".items > li")).to_have_count(173)
    expect(page.locator("li.item--project").first).to_contain_text("Project")
    expect(page.locator(".completion")).to_contain_text("What completing this roadmap means")
    assert blocking_violations(page) == []


def test_roadmap_page_passes_axe_in_the_dark_theme(page: Page, site: str):
    page.emulate_media(color_scheme="dark")
    page.goto(site + "/roadmaps/flask/")
    assert blocking_violations(page) == []


def test_phase_navigator_jumps_by_mouse_and_keyboard(page: Page, site: str):
    page.goto(site + "/roadmaps/flask/")
    navigator = page.get_by_role("navigation", name="Phases")
    navigator.get_by_role("link", name=re.compile(r"^Phase 9\b")).click()
    expect(page).to_have_url(re.compile(r"#phase-9$"))
    expect(page.locator("#phase-9-title")).to_be_in_viewport()

    navigator.get_by_role("link", name=re.compile(r"^Phase 14\b")).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#phase-14$"))
    expect(page.locator("#phase-14-title")).to_be_in_viewport()
    # The navigator stays on screen while reading (sticky).
    expect(navigator).to_be_in_viewport()


def test_phase_navigator_works_on_a_phone(page: Page, site: str):
    page.set_viewport_size(PHONE)
    page.goto(site + "/roadmaps/flask/#phase-5")
    navigator = page.get_by_role("navigation", name="Phases")
    expect(navigator).to_be_in_viewport()
    navigator.get_by_role("link", name=re.compile(r"^Phase 11\b")).click()
    expect(page.locator("#phase-11-title")).to_be_in_viewport()
    expect(navigator).to_be_in_viewport()


def test_language_filter_hides_and_shows_and_is_remembered(page: Page, site: str):
    page.goto(site + "/roadmaps/flask/")
    english = page.locator('.resource[data-lang="en"]')
    hindi = page.locator('.resource[data-lang="hi"]')
    filter_group = page.get_by_role("group", name="Resource language")
    expect(english.first).to_be_visible()
    expect(hindi.first).to_be_visible()

    filter_group.get_by_role("radio", name="Hindi").check()
    expect(hindi.first).to_be_visible()
    expect(page.locator('.resource[data-lang="en"]:visible')).to_have_count(0)

    page.reload()
    expect(filter_group.get_by_role("radio", name="Hindi")).to_be_checked()
    expect(page.locator('.resource[data-lang="en"]:visible')).to_have_count(0)

    filter_group.get_by_role("radio", name="All").check()
    expect(english.first).to_be_visible()
    assert page.locator(".resource:visible").count() == page.locator(".resource").count()


def test_without_javascript_every_resource_shows(browser, site: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/roadmaps/flask/")
    expect(page.locator(".resource").first).to_be_visible()
    assert page.locator(".resource:visible").count() == page.locator(".resource").count()
    expect(page.locator("[data-language-filter]")).to_be_hidden()
    context.close()


def test_search_finds_jwt_and_jumps_to_the_item(page: Page, site: str):
    page.goto(site + "/")
    page.get_by_role("combobox", name="Search roadmaps").fill("jwt")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=jwt"))
    result = page.get_by_role("link", name="JWT authentication")
    expect(result).to_be_visible()
    assert blocking_violations(page) == []
    result.click()
    expect(page).to_have_url(re.compile(r"/roadmaps/flask/#topic-jwt-authentication$"))
    expect(page.locator("#topic-jwt-authentication")).to_be_in_viewport()


def test_dark_theme_toggle_is_remembered(page: Page, site: str):
    page.emulate_media(color_scheme="light")
    page.goto(site + "/")
    toggle = page.get_by_role("button", name="Dark theme")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    light_background = page.evaluate("getComputedStyle(document.body).backgroundColor")

    toggle.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(toggle).to_have_attribute("aria-pressed", "true")

    page.goto(site + "/roadmaps/flask/")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.get_by_role("button", name="Dark theme")).to_have_attribute("aria-pressed", "true")
    dark_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_background != light_background


@pytest.mark.parametrize("path", ["/", "/roadmaps/flask/", "/search/?q=jwt"])
def test_no_horizontal_scroll_on_a_360px_phone(page: Page, site: str, path: str):
    page.set_viewport_size(PHONE)
    page.goto(site + path)
    assert no_horizontal_scroll(page)


def test_keyboard_focus_is_visible(page: Page, site: str):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
