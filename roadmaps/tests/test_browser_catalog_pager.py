"""The catalog's pager in a real browser (system Chromium via pytest-playwright): on a desktop
and a 360 px phone, light and dark, by mouse and keyboard, with axe finding nothing serious.

With CATALOG_SCREENSHOTS naming a directory, each case leaves a screenshot of the pager there
for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from roadmaps.tests.factories import RoadmapFactory
from roadmaps.tests.test_browser_site import blocking_violations, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
SHOTS = Path(os.environ["CATALOG_SCREENSHOTS"]) if os.environ.get("CATALOG_SCREENSHOTS") else None


@pytest.fixture
def site(live_server) -> str:
    for n in range(24 * 9 + 3):  # ten pages
        RoadmapFactory(slug=f"map-{n:03}", title=f"Map {n:03}")
    return live_server.url


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_pager_pages_through_the_catalog(page: Page, site: str, size: str, theme: str):
    page.set_viewport_size(VIEWPORTS[size])
    page.emulate_media(color_scheme=theme, reduced_motion="reduce")
    page.goto(site + "/?page=5")
    pager = page.get_by_role("navigation", name="Pages of roadmaps")
    expect(pager).to_be_visible()
    current = pager.locator('[aria-current="page"]')
    expect(current).to_have_accessible_name("Page 5")
    numbers = ["Page 1", "Page 4", "Page 5", "Page 6", "Page 10"]
    expect(pager.locator("a.pager__number")).to_have_text(numbers)
    expect(pager.locator(".pager__gap")).to_have_count(2)
    expect(page.locator(".card")).to_have_count(24)
    expect(page.locator(".card").first).to_contain_text("Map 096")
    assert no_horizontal_scroll(page)
    pager.scroll_into_view_if_needed()
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"catalog-pager-{size}-{theme}.png"))
    assert blocking_violations(page) == []

    pager.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"/\?page=6$"))
    expect(
        page.get_by_role("navigation", name="Pages of roadmaps").locator('[aria-current="page"]')
    ).to_have_accessible_name("Page 6")
    # By keyboard to the last page, then back to the first by its number.
    last = page.get_by_role("navigation", name="Pages of roadmaps").get_by_role(
        "link", name="Page 10"
    )
    last.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?page=10$"))
    expect(page.locator(".card")).to_have_count(3)
    expect(page.get_by_role("link", name="Next page")).to_have_count(0)
    page.get_by_role("navigation", name="Pages of roadmaps").get_by_role(
        "link", name="Page 1", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Previous page")).to_have_count(0)


def test_filters_survive_paging_in_the_browser(page: Page, site: str):
    page.goto(site + "/")
    page.get_by_label("Find a roadmap").fill("map")
    page.get_by_role("button", name="Show roadmaps").click()
    expect(page.locator(".result-count")).to_contain_text("219 roadmaps match your filters")
    page.get_by_role("navigation", name="Pages of roadmaps").get_by_role(
        "link", name="Next page"
    ).click()
    expect(page).to_have_url(re.compile(r"/\?q=map&category=&level=&page=2$"))
    expect(page.get_by_label("Find a roadmap")).to_have_value("map")
    expect(page.locator(".card").first).to_contain_text("Map 024")
