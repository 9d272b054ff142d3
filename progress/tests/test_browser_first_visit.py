"""A first visit in the system Chromium: marks made before signing up follow the learner into
their new account and back to the page; the catalog, dashboard and API docs on a desktop and a
360 px phone, light and dark, without serious or critical axe findings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.utils import timezone

from progress.models import Progress
from progress.services import progress_set_many

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-73"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
BLOCKING_IMPACTS = {"serious", "critical"}
# Screenshots for a person to look at; docs/screenshots stays untouched by test runs.
SHOTS = Path(settings.BASE_DIR) / "var" / "test-screenshots"


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_sign_up_and_confirm_returns_to_the_page_with_the_marks_moved(
    page, live_server, make_roadmap, mailoutbox
):
    from playwright.sync_api import expect

    make_roadmap(slug="small", phases=1, sections=1, topics=4)
    here = f"{live_server.url}/roadmaps/small/"
    page.goto(here)
    for done, key in enumerate(["item-0", "item-1"], start=1):
        page.locator(f"#topic-{key} > .pc button:nth-child(1)").click()
        expect(page.locator("#progress-roadmap")).to_contain_text(f"{done} of 4 done")

    page.locator(".site-header").get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("newbie@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()

    (email,) = mailoutbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", email.body)
    assert link, email.body
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm my email").click()

    page.wait_for_url(here)
    expect(page.locator(".messages")).to_contain_text(
        "2 marks you made before signing in moved into your account."
    )
    expect(page.locator(".site-header").get_by_role("link", name="My progress")).to_be_visible()
    expect(page.locator("#progress-roadmap")).to_contain_text("2 of 4 done")
    assert Progress.objects.filter(user__email="newbie@example.com").count() == 2
    shoot(page, "signed-up-back-on-the-page")


@pytest.fixture
def learner_with_history(learner, make_roadmap):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    learner.is_profile_public = True
    learner.save()
    roadmap = make_roadmap(slug="small", phases=2, sections=2, topics=20)
    make_roadmap(slug="other", phases=1, sections=1, topics=5)
    progress_set_many(
        user=learner,
        roadmap=roadmap,
        statuses={f"item-{n}": "done" for n in range(6)} | {"item-6": "in_progress"},
    )
    now = timezone.now()
    for n, row in enumerate(Progress.objects.filter(user=learner).order_by("pk")):
        Progress.objects.filter(pk=row.pk).update(updated_at=now - dt.timedelta(days=9 * n))
    return learner


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_catalog_dashboard_and_profile_fit_and_pass_axe(
    page, live_server, learner_with_history, viewport, color_scheme
):
    from playwright.sync_api import expect

    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=color_scheme)
    sign_in(page, live_server, learner_with_history)
    name = f"{'desktop' if viewport is DESKTOP else 'phone'}-{color_scheme}"

    page.goto(live_server.url + "/")
    card = page.locator(".card", has=page.get_by_role("link", name=re.compile("Generated small")))
    expect(card.locator(".card__progress-text")).to_have_text(
        "Your progress: 6 of 20 done (30%) · 1 in progress"
    )
    expect(page.locator(".card__progress")).to_have_count(1)  # "other" is not started
    header_link = page.locator(".site-header").get_by_role("link", name="My progress")
    expect(header_link).to_be_visible()
    # The brand link keeps its name; on a phone only its mark shows, so the learner's links
    # share its row and the search box has the second: two rows, not three.
    expect(page.locator(".site-header").get_by_role("link", name="Roadmapfinder")).to_be_visible()
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 130, header
    assert_fits(page)
    assert blocking_violations(page) == [], "catalog"
    shoot(page, f"catalog-{name}")

    header_link.click()
    page.wait_for_url(live_server.url + "/dashboard/")
    expect(header_link).to_have_attribute("aria-current", "page")
    legend = page.locator(".pg-heat__legend")
    expect(legend).to_contain_text("Less")
    expect(legend).to_contain_text("More")
    months = page.locator(".pg-heat__months span:not(:empty)")
    assert months.count() >= 2
    assert_fits(page)
    if viewport is DESKTOP:
        # The page's width: the roadmap card spans the content column, the activity and the
        # recent changes sit side by side.
        main = page.locator("#main .pg-page").bounding_box()
        card = page.locator(".pg-card").bounding_box()
        assert main and card and card["width"] > 0.95 * main["width"] > 1000
        activity = page.locator("section[aria-labelledby=pg-activity-title]").bounding_box()
        recent = page.locator("section[aria-labelledby=pg-recent-title]").bounding_box()
        assert activity and recent and abs(activity["y"] - recent["y"]) < 2
    assert blocking_violations(page) == [], "dashboard"
    shoot(page, f"dashboard-{name}")

    page.goto(live_server.url + "/u/ada/")
    assert_fits(page)
    if viewport is DESKTOP:
        main = page.locator("#main .pg-page").bounding_box()
        assert main and main["width"] > 1000
    assert blocking_violations(page) == [], "public profile"
    shoot(page, f"profile-{name}")


def assert_fits(page) -> None:
    """Nothing makes the page scroll sideways."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_api_docs_carry_the_site_layout_and_lock_only_private_endpoints(
    page, live_server, color_scheme
):
    from playwright.sync_api import expect

    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme=color_scheme)
    page.goto(live_server.url + "/api/v1/docs")
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.get_by_role("link", name="Create an API token in Settings")).to_have_attribute(
        "href", "/settings/#api-tokens"
    )
    page.locator(".opblock").first.wait_for()
    locks = {}
    for operation in page.locator(".opblock").all():
        path = operation.locator(".opblock-summary-path").inner_text()
        locks[path] = operation.locator(".authorization__btn").count() > 0
    assert locks["/api/v1/roadmaps"] is False
    assert locks["/api/v1/roadmaps/{slug}"] is False
    assert locks["/api/v1/search"] is False
    assert locks["/api/v1/me"] is True
    assert locks["/api/v1/me/progress/{slug}/bulk"] is True
    # The site's theme around Swagger UI, not Swagger's own white page.
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(part) for part in re.findall(r"\d+", background)[:3])
    assert (red + green + blue < 3 * 128) == (color_scheme == "dark"), background
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"api-docs-{color_scheme}.png"))
