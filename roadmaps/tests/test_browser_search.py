"""The header search's suggestions in a real browser (static/js/search.js): the combobox by
keyboard, the shortcuts that focus it, phone and desktop, light and dark, axe, and the plain
form without JavaScript. Screenshots for a person to look at go to var/test-screenshots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from roadmaps.tests.test_browser_site import PHONE, blocking_violations, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "test-screenshots"
DESKTOP = {"width": 1366, "height": 800}


@pytest.fixture
def site(live_server, flask_roadmap) -> str:
    return live_server.url


def suggestions_for(page: Page, text: str) -> None:
    box = page.get_by_role("combobox", name="Search roadmaps")
    box.fill(text)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()


def test_keyboard_slash_arrows_escape_and_enter(page: Page, site: str):
    page.goto(site + "/")
    box = page.locator("#site-search-q")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("jw")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "site-search-list")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("JWT authentication")
    expect(options.first).to_contain_text("Topic · Flask Roadmap · Phase 4")

    page.keyboard.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")  # wraps to the last
    expect(options.last).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")  # and back to the first
    expect(options.first).to_have_attribute("aria-selected", "true")

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_have_value("jw")  # Escape closes the list, it keeps the words

    page.keyboard.press("ArrowDown")  # reopens on the first suggestion
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/roadmaps/flask/#topic-jwt-authentication$"))


def test_enter_without_a_highlight_submits_the_search(page: Page, site: str):
    page.goto(site + "/")
    page.keyboard.press("Control+k")
    expect(page.locator("#site-search-q")).to_be_focused()
    suggestions_for(page, "celry")  # a typo still suggests Celery
    expect(page.get_by_role("option").first).to_contain_text("Celery")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=celry$"))
    expect(page.locator(".result-count")).to_contain_text("No exact matches for “celry”.")


def test_shortcuts_leave_other_fields_alone(page: Page, site: str):
    page.goto(site + "/search/")
    field = page.locator("#search-q")  # the search page's own box, focused on arrival
    field.focus()
    page.keyboard.type("a/b")
    expect(field).to_have_value("a/b")
    expect(field).to_be_focused()
    page.keyboard.press("Meta+k")  # in another field: not taken over
    expect(field).to_be_focused()
    page.locator("h1").click()
    page.keyboard.press("Meta+k")
    expect(page.locator("#site-search-q")).to_be_focused()


def test_a_click_on_a_suggestion_opens_it(page: Page, site: str):
    page.goto(site + "/")
    suggestions_for(page, "bluepr")
    page.get_by_role("option", name=re.compile("Blueprints")).first.click()
    expect(page).to_have_url(re.compile(r"/roadmaps/flask/#section-2-3$"))


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_suggestions_open_pass_axe(
    browser: Browser, site: str, name: str, viewport: dict, color_scheme: str
):
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    page = context.new_page()
    try:
        page.goto(site + "/roadmaps/flask/")
        page.keyboard.press("/")
        suggestions_for(page, "jw")
        page.keyboard.press("ArrowDown")
        listbox = page.get_by_role("listbox", name="Suggestions")
        box = listbox.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert blocking_violations(page) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"search-suggestions-{name}-{color_scheme}.png"))
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_results_pages_pass_axe(browser: Browser, site: str, make_roadmap, viewport: dict):
    make_roadmap(slug="many", topics=60)
    context = browser.new_context(viewport=viewport, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(site + "/search/?q=item&page=2")
        expect(page.locator(".result-count")).to_contain_text("(page 2 of 4)")
        expect(page.get_by_role("navigation", name="Result pages")).to_be_visible()
        assert blocking_violations(page) == []
        assert no_horizontal_scroll(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"search-page-2-{viewport['width']}.png"), full_page=True)
        page.get_by_role("link", name="Next page").click()
        expect(page).to_have_url(re.compile(r"page=3$"))
    finally:
        context.close()


def test_without_javascript_the_header_search_submits(browser: Browser, site: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + "/")
        box = page.locator("#site-search-q")
        assert box.get_attribute("role") is None  # a plain search box, no combobox promises
        expect(page.locator("#site-search-list")).to_be_hidden()
        box.fill("jwt")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/search/\?q=jwt$"))
        expect(page.locator(".hit__title").first).to_contain_text("JWT")
    finally:
        context.close()
