"""The course catalog in a real browser (system Chromium via pytest-playwright): filters with
and without JavaScript, desktop and a 360 px phone, axe-core checks in both themes, and the
courses section of a roadmap page."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from courses.tests.factories import CourseCategoryFactory, CourseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def site(live_server, flask_roadmap) -> str:
    data = CourseCategoryFactory(slug="data-science", name="Data Science")
    CourseFactory(
        title="Flask from Zero to Deployment",
        channel="A Hindi Channel",
        language="hi",
        level="beginner",
        rating="4.8",
        badge="Bestseller",
        featured=True,
        roadmaps=[flask_roadmap],
    )
    CourseFactory(
        title="Building REST APIs with Flask, a long title that has to wrap on a phone",
        channel="An English Channel",
        language="en",
        level="intermediate",
        roadmaps=[flask_roadmap],
    )
    CourseFactory(title="Pandas Hands-on", language="hi", level="intermediate", category=data)
    CourseFactory(
        title="Machine Learning", language="en", level="advanced", category=data, is_free=False
    )
    return live_server.url


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_filters_narrow_the_list_and_pass_axe(page: Page, site: str):
    page.goto(site + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
    expect(page).to_have_url(re.compile(r"/courses/$"))
    cards = page.locator(".course-card")
    expect(cards).to_have_count(4)
    first = cards.first
    expect(first).to_contain_text("Flask from Zero to Deployment")
    expect(first).to_contain_text("A Hindi Channel")
    expect(first).to_contain_text("Hindi")
    expect(first).to_contain_text("Beginner")
    expect(first.get_by_role("link", name=re.compile("Flask Roadmap"))).to_have_attribute(
        "href", "/roadmaps/flask/"
    )
    assert blocking_violations(page) == []

    # The selects submit themselves with JavaScript.
    page.get_by_label("Language").select_option("hi")
    expect(page).to_have_url(re.compile(r"language=hi"))
    expect(cards).to_have_count(2)
    page.get_by_label("Level").select_option("intermediate")
    expect(page).to_have_url(
        re.compile(r"language=hi.*level=intermediate|level=intermediate.*language=hi")
    )
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Pandas Hands-on")
    page.get_by_role("link", name="Clear").click()
    expect(cards).to_have_count(4)


def test_filters_work_without_javascript(browser, site: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/courses/")
    page.get_by_label("Category").select_option("data-science")
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Show courses").click()
    expect(page).to_have_url(re.compile(r"category=data-science"))
    expect(page.locator(".course-card")).to_have_count(1)
    expect(page.locator(".course-card")).to_contain_text("Machine Learning")
    expect(page.locator(".course-card")).to_contain_text("Paid")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_has_no_horizontal_scroll_and_passes_axe(page: Page, site: str, scheme: str):
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme=scheme)
    page.goto(site + "/courses/?language=en")
    expect(page.locator(".course-card")).to_have_count(2)
    assert no_horizontal_scroll(page)
    assert blocking_violations(page) == []
    # The header's nav is hidden on phones: the footer links to the catalog.
    page.get_by_role("navigation", name="Footer").get_by_role("link", name="Courses").click()
    expect(page).to_have_url(re.compile(r"/courses/$"))


def test_roadmap_page_shows_its_courses_on_a_phone(page: Page, site: str):
    page.set_viewport_size(PHONE)
    page.goto(site + "/roadmaps/flask/")
    section = page.get_by_role("region", name="Courses for this roadmap")
    expect(section.locator(".course-card")).to_have_count(2)
    expect(section).to_contain_text("Flask from Zero to Deployment")
    expect(section).not_to_contain_text("Pandas")
    section.scroll_into_view_if_needed()
    assert no_horizontal_scroll(page)
    section.get_by_role("link", name=re.compile("All courses")).click()
    expect(page).to_have_url(re.compile(r"/courses/$"))
