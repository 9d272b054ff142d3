"""Editors never lose work, in a real browser (system Chromium via pytest-playwright): an admin
edit survives a restart, history/compare/revert, draft copy, preview link, publish over."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page, expect

from progress.models import Progress
from roadmaps.models import Roadmap, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = (
    Path(os.environ.get("EDITORS_SCREENSHOTS", ""))
    if os.environ.get("EDITORS_SCREENSHOTS")
    else None
)


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    """Screenshots for a person to look at, when EDITORS_SCREENSHOTS names a directory."""
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def restart() -> None:
    """What `make run` and the web container run at every start (test_import_source checks that
    they still do)."""
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        call_command("import_roadmaps", "content/")
    finally:
        os.chdir(cwd)


@pytest.fixture
def editors_group(transactional_db) -> None:
    """The Editors group comes from a data migration, which a transactional test's flush
    empties: make it again as that migration does."""
    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0002_editors_group")
    migration.grant(apps, None)


@pytest.fixture
def admin_page(page: Page, live_server, editors_group, editor, flask_roadmap) -> Page:
    client = Client()
    client.force_login(editor)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def edit_item_title(page: Page, base: str, topic: Topic, title: str) -> None:
    page.goto(f"{base}/admin/roadmaps/topic/{topic.pk}/change/")
    page.get_by_label("Title:").fill(title)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def test_admin_edit_survives_a_restart(admin_page: Page, live_server, flask_roadmap):
    topic = flask_roadmap.topics.get(key="functions")
    edit_item_title(admin_page, live_server.url, topic, "Functions, edited in the admin")
    restart()
    admin_page.goto(f"{live_server.url}/admin/roadmaps/topic/{topic.pk}/change/")
    expect(admin_page.get_by_label("Title:")).to_have_value("Functions, edited in the admin")
    admin_page.goto(f"{live_server.url}/roadmaps/flask/")
    expect(admin_page.locator("#topic-functions")).to_contain_text("Functions, edited in the admin")


def test_history_compare_and_revert(admin_page: Page, live_server, flask_roadmap):
    page, base = admin_page, live_server.url
    topic = flask_roadmap.topics.get(key="functions")
    original_title = topic.title
    edit_item_title(page, base, topic, "Functions and closures")
    page.goto(f"{base}/admin/roadmaps/roadmap/{flask_roadmap.pk}/change/")
    page.locator(".object-tools").get_by_role("link", name="History").click()
    rows = page.locator(".revisions-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("grace")
    shot(page, "history")
    page.get_by_role("button", name="Compare selected revisions").click()
    diff = page.locator(".revision-diff")
    expect(diff).to_contain_text("Item: Functions and closures (functions)")
    expect(diff.locator("del")).to_contain_text(original_title)
    expect(diff.locator("ins")).to_contain_text("Functions and closures")
    shot(page, "compare")
    page.get_by_role("link", name="Revert to revision 1").click()
    page.get_by_role("button", name="Revert to revision 1").click()
    expect(page.locator(".messagelist")).to_contain_text("reverted (revision 1)")
    expect(page.locator(".revisions-table tbody tr")).to_have_count(3)
    expect(page.locator(".revisions-table tbody tr").first).to_contain_text("Reverted")
    assert Topic.objects.get(pk=topic.pk).title == original_title


def test_draft_copy_preview_and_publish_keep_progress(
    admin_page: Page, live_server, flask_roadmap, learner, browser
):
    page, base = admin_page, live_server.url
    topic = flask_roadmap.topics.get(key="functions")
    Progress.objects.create(
        user=learner,
        roadmap=flask_roadmap,
        topic=topic,
        status="done",
        updated_at=flask_roadmap.updated_at,
    )
    page.goto(f"{base}/admin/roadmaps/roadmap/{flask_roadmap.pk}/change/")
    page.get_by_role("link", name="Make a draft copy").click()
    page.get_by_role("button", name="Make a draft copy").click()
    expect(page.locator(".messagelist")).to_contain_text("Draft copy flask-draft made")
    draft = Roadmap.objects.get(draft_of=flask_roadmap)
    edit_item_title(page, base, draft.topics.get(key="functions"), "Functions (new draft text)")
    # Learners still read the original.
    page.goto(f"{base}/roadmaps/flask/")
    expect(page.locator("#topic-functions")).not_to_contain_text("new draft text")

    page.goto(f"{base}/admin/roadmaps/roadmap/{draft.pk}/change/")
    page.get_by_role("link", name="Preview link").click()
    page.get_by_role("button", name="Create a preview link").click()
    link = page.get_by_label("Preview link").input_value()
    shot(page, "preview-link")
    reviewer = browser.new_context(viewport={"width": 360, "height": 740})  # signed out
    review = reviewer.new_page()
    review.goto(link)
    expect(review.locator(".banner--draft")).to_contain_text("A preview of a draft")
    expect(review.locator("#topic-functions")).to_contain_text("Functions (new draft text)")
    shot(review, "preview-phone", full_page=False)

    page.goto(f"{base}/admin/roadmaps/roadmap/{draft.pk}/change/")
    page.get_by_role("link", name="Publish over the original").click()
    expect(page.locator(".revision-diff")).to_contain_text("Functions (new draft text)")
    expect(page.locator(".revision-diff")).not_to_contain_text("flask-draft")
    shot(page, "publish-confirm")
    page.get_by_role("button", name="Publish over flask").click()
    expect(page.locator(".messagelist")).to_contain_text("Published over flask")
    expect(page).to_have_url(re.compile(rf"/admin/roadmaps/roadmap/{flask_roadmap.pk}/change/$"))
    assert Progress.objects.get(user=learner).topic_id == topic.pk
    review.goto(f"{base}/roadmaps/flask/")
    expect(review.locator("#topic-functions")).to_contain_text("Functions (new draft text)")
    assert review.goto(link).status == 404  # the draft was published: the link is dead
    reviewer.close()
