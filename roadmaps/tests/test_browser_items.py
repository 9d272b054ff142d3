"""Items in a real browser: the panel the roadmap page opens, the item's own page, and both
without JavaScript (system Chromium via pytest-playwright against live_server)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Page, expect

from roadmaps.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}
# Screenshots for a person to look at; docs/screenshots stays untouched by test runs.
SHOTS = Path(settings.BASE_DIR) / "var" / "test-screenshots"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
KEY = "client-server-model"
ITEM = re.compile(rf"/roadmaps/flask/items/{KEY}/$")


@pytest.fixture
def site(live_server, flask_roadmap) -> str:
    topic = Topic.objects.get(roadmap=flask_roadmap, key=KEY)
    topic.body = (
        "Every page starts as a **request** from a client and ends as a **response** from a "
        "server.\n\n## Try it\n\n- Open the network tab\n- Run `curl -v https://example.org`\n\n"
        "Read [MDN: An overview of HTTP](https://developer.mozilla.org/en-US/docs/Web/HTTP/"
        "Overview)."
    )
    topic.save()
    return live_server.url


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_an_item_opens_in_a_panel_with_a_shareable_address(page: Page, site: str, size, scheme):
    page.set_viewport_size(SIZES[size])
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    page.goto(site + "/roadmaps/flask/")
    title = page.locator(f"#topic-{KEY} > p > a")
    title.click()

    panel = page.get_by_role("dialog", name="Client-Server model")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Every page starts as a request")
    expect(panel.locator("h3")).to_contain_text(["Try it"])
    expect(panel.get_by_role("link", name="MDN: An overview of HTTP")).to_have_attribute(
        "rel", "noopener nofollow"
    )
    expect(page).to_have_url(ITEM)
    expect(page.get_by_role("button", name="Close item")).to_be_focused()
    box = panel.bounding_box()
    assert box is not None
    if size == "desktop":
        assert box["x"] > 700 and box["width"] < 700  # a side panel on the right
    else:
        assert box["x"] == 0 and box["width"] == 360  # over the whole phone screen
    assert page.evaluate("document.documentElement.scrollWidth <= 360 || innerWidth > 360")
    assert blocking_violations(page) == []
    shoot(page, f"item-panel-{size}-{scheme}")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(title).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/roadmaps/flask/#topic-{KEY}$"))

    # Opened again and reloaded: the address opens the item's own page.
    title.click()
    expect(panel).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Client-Server model")).to_be_visible()
    expect(page.locator(".item-view__body")).to_contain_text("Every page starts as a request")
    assert blocking_violations(page) == []
    if scheme == "light":
        shoot(page, f"item-page-{size}")


def test_the_close_button_and_back_close_the_panel(page: Page, site: str):
    page.goto(site + "/roadmaps/flask/")
    title = page.locator(f"#topic-{KEY} > p > a")
    title.click()
    panel = page.get_by_role("dialog", name="Client-Server model")
    expect(panel).to_be_visible()
    page.get_by_role("button", name="Close item").click()
    expect(panel).to_be_hidden()
    expect(title).to_be_focused()
    title.click()
    expect(page).to_have_url(ITEM)
    page.go_back()
    expect(panel).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/roadmaps/flask/"))


def test_marking_in_the_panel_marks_the_item_in_the_list_too(page: Page, site: str):
    page.goto(site + "/roadmaps/flask/")
    page.locator(f"#topic-{KEY} > p > a").click()
    panel = page.get_by_role("dialog", name="Client-Server model")
    panel.get_by_role("button", name="Done").click()
    expect(panel.get_by_role("button", name="Done")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    in_list = page.locator(f'#topic-{KEY} .pc button[aria-pressed="true"]')
    expect(in_list).to_have_text("Done")
    expect(page.locator("#progress-roadmap")).to_contain_text("1 of")
    page.reload()
    expect(page.locator(f'#topic-{KEY} .pc button[aria-pressed="true"]')).to_have_text("Done")


def test_without_javascript_the_title_is_a_link_to_the_page_where_marking_works(browser, site: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/roadmaps/flask/")
    page.locator(f"#topic-{KEY} > p > a").click()
    expect(page).to_have_url(ITEM)
    expect(page.locator(".item-view__body")).to_contain_text("Every page starts as a request")
    page.get_by_role("group", name="Client-Server model", exact=True).get_by_role(
        "button", name="In progress"
    ).click()
    expect(page).to_have_url(ITEM)
    pressed = page.locator('.item-view .pc button[aria-pressed="true"]')
    expect(pressed).to_have_text("In progress")
    page.get_by_role("link", name=re.compile("Next")).click()
    expect(page).to_have_url(re.compile(r"/roadmaps/flask/items/[a-z0-9-]+/$"))
    assert not ITEM.search(page.url)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_signed_in_learner_suggests_a_resource_from_the_panel(
    page: Page, site: str, learner, scheme
):
    from django.test import Client

    from roadmaps.models import ResourceSuggestion

    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])
    page.set_viewport_size(SIZES["phone"])
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    page.goto(site + "/roadmaps/flask/")
    page.locator(f"#topic-{KEY} > p > a").click()
    panel = page.get_by_role("dialog", name="Client-Server model")
    panel.get_by_text("Know a good link for this item?").click()
    panel.get_by_label("Title").fill("HTTP in 10 minutes")
    panel.get_by_label("Web address").fill("http://localhost:8000/")
    panel.get_by_label("Kind").select_option("article")
    panel.get_by_role("button", name="Send suggestion").click()
    # Without a page of its own the form posts; an error comes back on the item page.
    expect(page).to_have_url(re.compile(rf"/roadmaps/flask/items/{KEY}/suggest/$"))
    expect(page.locator("#suggest-url_error")).to_contain_text(
        "local and private network addresses are refused"
    )
    assert blocking_violations(page) == []
    page.locator("#suggest").scroll_into_view_if_needed()
    shoot(page, f"item-suggest-error-{scheme}")
    page.get_by_label("Web address").fill("https://developer.mozilla.org/en-US/docs/Web/HTTP")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page).to_have_url(re.compile(rf"/roadmaps/flask/items/{KEY}/#suggest$"))
    expect(page.locator(".messages")).to_contain_text("was sent to the editors for review")
    assert ResourceSuggestion.objects.get().title == "HTTP in 10 minutes"
