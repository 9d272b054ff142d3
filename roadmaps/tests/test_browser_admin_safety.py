"""An editor drives the admin in the system Chromium: renaming an item's key keeps a learner's
progress, deleting a section asks where its items go, and the item page fits a laptop window."""

from __future__ import annotations

import importlib
import re

import pytest
from django.utils import timezone

from progress.models import Progress
from roadmaps.models import Section, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-73"


@pytest.fixture
def signed_in(page, live_server, transactional_db):
    # A transactional test starts from an empty database: the Editors group its migration
    # made is gone, so make it again the same way.
    from django.apps import apps

    from accounts.tests.factories import EditorFactory

    importlib.import_module("accounts.migrations.0002_editors_group").grant(apps, None)
    editor = EditorFactory(username="grace", email="grace@example.com")
    editor.set_password(PASSWORD)
    editor.save()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_rename_key_moves_the_learners_progress(signed_in, live_server, flask_roadmap, learner):
    page = signed_in
    topic = Topic.objects.get(roadmap=flask_roadmap, key="client-server-model")
    Progress.objects.create(
        user=learner, roadmap=flask_roadmap, topic=topic, status="done", updated_at=timezone.now()
    )
    page.goto(f"{live_server.url}/admin/roadmaps/topic/{topic.pk}/change/")
    # The key is read-only here; the link leads to the checked rename.
    assert page.locator("input[name=key]").count() == 0
    page.get_by_role("link", name="Rename key").click()

    page.get_by_label("New key").fill("http-basics")
    page.get_by_role("button", name="Rename key").click()
    page.get_by_text("1 learners' progress row(s) moved with it").wait_for()
    assert page.url.endswith(f"/admin/roadmaps/topic/{topic.pk}/change/")

    topic.refresh_from_db()
    assert topic.key == "http-basics"
    assert Progress.objects.get(user=learner).topic_id == topic.pk

    # A key in use is refused with a message, and nothing changes.
    page.get_by_role("link", name="Rename key").click()
    page.get_by_label("New key").fill("control-flow")
    page.get_by_role("button", name="Rename key").click()
    page.get_by_text(re.compile("is already used by")).wait_for()
    topic.refresh_from_db()
    assert topic.key == "http-basics"


def test_deleting_a_section_with_items_moves_them(signed_in, live_server, flask_roadmap, learner):
    page = signed_in
    sections = list(Section.objects.filter(phase__roadmap=flask_roadmap).order_by("pk")[:2])
    doomed, target = sections
    keys = list(doomed.topics.order_by("position").values_list("key", flat=True))
    Progress.objects.create(
        user=learner,
        roadmap=flask_roadmap,
        topic=doomed.topics.first(),
        status="done",
        updated_at=timezone.now(),
    )
    page.goto(f"{live_server.url}/admin/roadmaps/section/{doomed.pk}/change/")
    page.get_by_role("link", name="Delete").click()
    page.get_by_text(f"{len(keys)} items").wait_for()

    page.get_by_label("Move them to the end of another section of this roadmap").check()
    page.get_by_label("Section to move them to").select_option(str(target.pk))
    page.get_by_role("button", name="Delete and handle the items").click()
    page.get_by_text(f"{len(keys)} item(s) moved").wait_for()

    assert not Section.objects.filter(pk=doomed.pk).exists()
    moved = list(target.topics.order_by("position").values_list("key", flat=True))
    assert moved[-len(keys) :] == keys
    assert Progress.objects.get(user=learner).topic.section_id == target.pk


def test_item_page_fits_a_laptop_window(signed_in, live_server, flask_roadmap):
    page = signed_in
    topic = Topic.objects.filter(roadmap=flask_roadmap, resources__isnull=False).first()
    page.goto(f"{live_server.url}/admin/roadmaps/topic/{topic.pk}/change/")
    page.locator("select[name='resources-0-language']").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    # The whole resource row is in view: its last column (delete) is not scrolled away.
    box = page.locator("input[name='resources-0-DELETE']").bounding_box()
    table = page.locator("#resources-group fieldset.module").bounding_box()
    assert box and table and box["x"] + box["width"] <= table["x"] + table["width"]
