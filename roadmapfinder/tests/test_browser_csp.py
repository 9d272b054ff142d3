"""The Content-Security-Policy breaks nothing: the main pages, the admin and the Swagger UI run in
the system Chromium without a single CSP violation."""

from __future__ import annotations

import pytest

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_run_without_csp_violations(page, live_server, flask_roadmap):
    # A superuser, not the editor fixture: earlier transactional tests flush the Editors group.
    User.objects.create_superuser("root", "root@example.com", "correct-horse-battery-staple")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    # The detector itself: an inline script injected into a page is refused and reported.
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.x") is None
    page.wait_for_timeout(200)
    assert violations, "a refused inline script is reported"
    violations.clear()

    for path in ["/", "/roadmaps/flask/", "/search/?q=jwt", "/accounts/login/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Curate roadmaps").wait_for()
    page.goto(live_server.url + "/admin/roadmaps/resource/add/")
    page.wait_for_load_state("networkidle")

    assert violations == []
