"""A learner signs up with email, confirms through the emailed link, signs in and out, in
the system Chromium against the live server."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-73"


def test_sign_up_confirm_sign_in_and_out(page, live_server, mailoutbox):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("newbie@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.get_by_role("heading", name="Check your inbox").wait_for()
    user = User.objects.get(email="newbie@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["newbie@example.com"]
    assert mailoutbox[0].subject.startswith("[Roadmapfinder]")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body

    # Mandatory verification: a password sign-in before confirming is not let in.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("newbie@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name="Check your inbox").wait_for()

    # Confirming in the browser that signed up signs the learner in (no password again).
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm my email").click()
    page.wait_for_url(f"{live_server.url}/")
    assert EmailAddress.objects.get(user=user).verified

    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("heading", name="Settings").wait_for()
    assert "newbie@example.com" in page.content()

    page.goto(f"{live_server.url}/accounts/logout/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/settings/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/settings/"))

    # The password works from then on, and sign-in returns to the page asked for.
    page.get_by_label("Email").fill("newbie@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/settings/")


def test_a_new_token_shows_at_the_top_once_and_reloading_creates_no_other(page, live_server):
    from playwright.sync_api import expect

    from accounts.models import ApiToken
    from accounts.services import api_token_authenticate
    from accounts.tests.factories import PASSWORD as FACTORY_PASSWORD
    from accounts.tests.factories import UserFactory

    user = UserFactory(username="ada", email="ada@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto(live_server.url + "/accounts/login/?next=/settings/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/settings/")

    page.get_by_label("Token name").fill("sync script")
    page.get_by_role("button", name="Create token").click()
    page.wait_for_url(f"{live_server.url}/settings/")  # redirected: a GET page, safe to reload
    shown = page.get_by_label("New API token")
    expect(shown).to_be_in_viewport()  # at the top, no scrolling to find it
    raw = shown.input_value()
    assert api_token_authenticate(raw=raw) == user

    page.reload()
    expect(page.get_by_label("New API token")).to_have_count(0)
    assert raw not in page.content()
    assert ApiToken.objects.filter(user=user).count() == 1
    expect(page.locator("#api-tokens")).to_contain_text("sync script")


BLOCKING_IMPACTS = {"serious", "critical"}


def _blocking_violations(page) -> list[str]:
    """Serious or critical axe findings in the page's main content (the header is the site's)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context="#main")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_account_pages_pass_axe_on_a_phone(page, live_server, settings, color_scheme):
    from accounts.services import api_token_create
    from accounts.tests.factories import PASSWORD as FACTORY_PASSWORD
    from accounts.tests.factories import UserFactory

    user = UserFactory(username="ada", email="ada@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    api_token_create(user=user, name="sync script")
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "github": {
            **settings.SOCIALACCOUNT_PROVIDERS["github"],
            "APPS": [{"client_id": "id", "secret": "secret", "key": ""}],
        },
    }
    page.set_viewport_size({"width": 360, "height": 760})
    page.emulate_media(color_scheme=color_scheme)
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(live_server.url + path)
        assert _blocking_violations(page) == [], path

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    for path in ["/settings/", "/settings/delete/", "/accounts/email/", "/accounts/3rdparty/"]:
        page.goto(live_server.url + path)
        assert _blocking_violations(page) == [], path
