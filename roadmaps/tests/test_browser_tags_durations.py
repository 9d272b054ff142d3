"""Tags and phase durations in a real browser: the catalog's popular tags and card tags, the
page's tags and a phase without a level, at desktop and phone widths in both themes (axe, no
sideways scroll). Screenshots go to BROWSER_SHOTS when it is set, for a person to look at."""

from __future__ import annotations

import os
import textwrap

import pytest
from playwright.sync_api import Page, expect

from roadmaps.content import roadmap_import_text
from roadmaps.tests.test_browser_site import PHONE, blocking_violations, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMED = textwrap.dedent(
    """\
    slug: timed
    title: Timed Roadmap
    status: published
    category: Backend
    summary: Phases in weeks, days and fractions of months.
    tags: [Python, Web Development, APIs]
    phases:
      - title: Warm-up
        level: beginner
        label: Beginner Level
        duration:
          min: 1
          max: 1.5
          unit: months
          label: 1\u20131.5 Months
        sections:
          - title: Basics
            topics:
              - key: first
                title: First
      - title: Reality Check
        label: Reality Check
        duration: 10 days
        sections:
          - title: Review
            topics:
              - key: review
                title: Review what you built
    """
)


@pytest.fixture
def site(live_server, flask_roadmap) -> str:
    roadmap_import_text(TIMED)
    return live_server.url


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("BROWSER_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_catalog_tags_and_the_tag_filter(page: Page, site: str, scheme: str, width: str):
    page.emulate_media(color_scheme=scheme)
    if width == "phone":
        page.set_viewport_size(PHONE)
    else:
        page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{site}/")
    cloud = page.get_by_role("navigation", name="Popular tags")
    # Timed's three and Flask's four share Python and Web Development: five tags in all.
    expect(cloud.get_by_role("link")).to_have_count(5)
    assert blocking_violations(page) == []
    assert no_horizontal_scroll(page)
    _shot(page, f"catalog-{width}-{scheme}")
    # A card's tag link filters the catalog (it sits above the card's whole-card link).
    page.locator(".card", has_text="Timed Roadmap").get_by_role("link", name="#APIs").click()
    expect(page).to_have_url(f"{site}/?tag=apis")
    expect(page.locator(".card")).to_have_count(1)  # Flask's is "REST APIs", another tag
    expect(cloud.get_by_role("link", name="#APIs")).to_have_attribute("aria-current", "page")
    assert blocking_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_page_shows_tags_and_a_phase_without_a_level(
    page: Page, site: str, scheme: str, width: str
):
    page.emulate_media(color_scheme=scheme)
    if width == "phone":
        page.set_viewport_size(PHONE)
    else:
        page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{site}/roadmaps/timed/")
    expect(page.get_by_role("list", name="Tags").get_by_role("link")).to_have_count(3)
    reality = page.locator("#phase-1")
    expect(reality.locator(".phase__level")).to_have_text("Reality Check 10 Days")
    expect(page.locator("#phase-0 .phase__months")).to_have_text("1\u20131.5 Months")
    assert blocking_violations(page) == []
    assert no_horizontal_scroll(page)
    _shot(page, f"page-{width}-{scheme}")
