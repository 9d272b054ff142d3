"""Learners' progress survives every editorial action: key renames (file and admin), deleting
sections and phases that hold items, deleting roadmaps, moving items between roadmaps."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from progress.models import Progress
from roadmaps.content import roadmap_import_text
from roadmaps.content.export import roadmap_export
from roadmaps.content.reading import ContentError
from roadmaps.models import Phase, Roadmap, Section, Topic
from roadmaps.services import sections_delete, topic_key_rename
from roadmaps.tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

FILE = """\
slug: tiny
title: Tiny
status: published
phases:
  - title: First
    level: beginner
    sections:
      - title: Basics
        topics:
          - key: {first}
            title: First item
{renamed}          - key: second
            title: Second item
      - title: More
        topics:
          - key: third
            title: Third item
"""


def tiny(first: str = "first", renamed: list[str] | None = None) -> str:
    line = f"            renamed_from: [{', '.join(renamed)}]\n" if renamed else ""
    return FILE.format(first=first, renamed=line)


def mark(user, topic: Topic, status: str = "done") -> Progress:
    return Progress.objects.create(
        user=user,
        roadmap_id=topic.roadmap_id,
        topic=topic,
        status=status,
        updated_at=timezone.now(),
    )


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:roadmaps_{model._meta.model_name}_{view}", args=args)


# --- renamed_from in content files -------------------------------------------------------------


def test_renamed_key_in_a_file_keeps_the_row_and_its_progress(learner):
    roadmap_import_text(tiny())
    topic = Topic.objects.get(key="first")
    mark(learner, topic)
    mark(UserFactory(), topic, "in_progress")

    report = roadmap_import_text(tiny("first-steps", ["first"]))

    topic.refresh_from_db()
    assert topic.key == "first-steps" and topic.retired_at is None
    assert Progress.objects.filter(topic=topic).count() == 2
    assert (report.renamed, report.progress_moved, report.retired, report.deleted) == (1, 2, 0, 0)
    assert "1 key(s) renamed with 2 learners' progress row(s) moved" in str(report)
    # Importing the same file again changes nothing; the export holds only the new key.
    assert not roadmap_import_text(tiny("first-steps", ["first"])).changed
    assert "renamed_from" not in roadmap_export(Roadmap.objects.get(slug="tiny"))


def test_without_renamed_from_the_old_item_is_retired_with_its_progress(learner):
    roadmap_import_text(tiny())
    mark(learner, Topic.objects.get(key="first"))
    report = roadmap_import_text(tiny("first-steps"))
    assert report.retired == 1 and report.renamed == 0
    assert Topic.objects.get(key="first").retired_at is not None


def test_renamed_from_later_moves_progress_from_the_retired_item(learner):
    # A rename imported without renamed_from retired the old item; naming it afterwards
    # brings the learners' progress over, and the emptied old item goes.
    roadmap_import_text(tiny())
    other = UserFactory()
    mark(learner, Topic.objects.get(key="first"))
    mark(other, Topic.objects.get(key="first"), "skipped")
    roadmap_import_text(tiny("first-steps"))
    new = Topic.objects.get(key="first-steps")
    mark(other, new, "done")  # `other` already marked the new item: theirs stays there

    report = roadmap_import_text(tiny("first-steps", ["first"]))

    assert report.progress_moved == 1
    assert Progress.objects.get(user=learner).topic == new
    assert Progress.objects.get(user=other, topic=new).status == "done"
    old = Topic.objects.get(key="first")  # still holds `other`'s older mark: kept, retired
    assert old.retired_at is not None and old.progress.count() == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (tiny("first", ["first"]), "'first' is this item's own key"),
        (tiny("first-steps", ["second"]), "'second' is still the key of the item at line"),
        (tiny("first-steps", ["Not A Key"]), "Use lowercase letters"),
        (FILE.format(first="x", renamed="            renamed_from: old\n"), "expected a list"),
    ],
)
def test_bad_renamed_from_is_refused_and_changes_nothing(text, problem):
    roadmap_import_text(tiny())
    version = Roadmap.objects.get(slug="tiny").content_version
    with pytest.raises(ContentError) as error:
        roadmap_import_text(text)
    assert problem in "\n".join(error.value.problems)
    assert Roadmap.objects.get(slug="tiny").content_version == version
    assert set(Topic.objects.values_list("key", flat=True)) == {"first", "second", "third"}


# --- Rename key in the admin ------------------------------------------------------------------


def test_editor_renames_a_key_and_progress_follows(client, editor, learner):
    roadmap_import_text(tiny())
    topic = Topic.objects.get(key="first")
    mark(learner, topic)
    version = topic.roadmap.content_version
    client.force_login(editor)
    page = client.get(admin_url(Topic, "change", topic.pk)).content.decode()
    rename_url = admin_url(Topic, "rename_key", topic.pk)
    assert f'href="{rename_url}"' in page and 'name="key"' not in page

    response = client.post(rename_url, {"key": "first-steps"}, follow=True)

    assert "renamed to &#x27;first-steps&#x27;; 1 learners&#x27; progress row(s) moved" in (
        response.content.decode()
    )
    topic.refresh_from_db()
    assert topic.key == "first-steps"
    assert Progress.objects.get(user=learner).topic == topic
    assert Roadmap.objects.get(pk=topic.roadmap_id).content_version == version + 1


@pytest.mark.parametrize(
    ("key", "error"),
    [
        ("second", "already used by &#x27;Second item&#x27;"),
        ("Bad Key", "Use lowercase letters"),
        ("first", "already the item"),
    ],
)
def test_rename_key_refuses_bad_or_taken_keys(client, editor, key, error):
    roadmap_import_text(tiny())
    topic = Topic.objects.get(key="first")
    client.force_login(editor)
    response = client.post(admin_url(Topic, "rename_key", topic.pk), {"key": key})
    assert response.status_code == 200 and error in response.content.decode()
    topic.refresh_from_db()
    assert topic.key == "first"


def test_rename_key_refuses_the_key_of_a_retired_item(learner):
    roadmap_import_text(tiny())
    mark(learner, Topic.objects.get(key="second"))
    roadmap_import_text(
        tiny().replace("          - key: second\n            title: Second item\n", "")
    )
    with pytest.raises(Exception, match="a retired item"):
        topic_key_rename(topic=Topic.objects.get(key="first"), key="second")


def test_rename_key_needs_change_permission(client, learner):
    roadmap_import_text(tiny())
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_topic"))
    client.force_login(staff)
    topic = Topic.objects.get(key="first")
    assert client.post(admin_url(Topic, "rename_key", topic.pk), {"key": "x"}).status_code == 403
    assert Topic.objects.get(pk=topic.pk).key == "first"


def test_the_items_inline_shows_existing_keys_read_only(client, editor):
    roadmap_import_text(tiny())
    section = Section.objects.get(title="Basics")
    client.force_login(editor)
    page = client.get(admin_url(Section, "change", section.pk)).content.decode()
    assert page.count('name="topics-0-key"') == 1
    assert 'name="topics-0-key"' in page and "disabled" in page.split('name="topics-0-key"')[1][:80]
    # A posted key for an existing row is ignored.
    topic = Topic.objects.get(key="first")
    data = {
        "phase": section.phase_id,
        "position": 0,
        "title": "Basics",
        "topics-TOTAL_FORMS": 2,
        "topics-INITIAL_FORMS": 2,
        "topics-0-id": topic.pk,
        "topics-0-section": section.pk,
        "topics-0-position": 0,
        "topics-0-key": "hacked",
        "topics-0-title": "First item",
        "topics-0-kind": "topic",
        "topics-1-id": Topic.objects.get(key="second").pk,
        "topics-1-section": section.pk,
        "topics-1-position": 1,
        "topics-1-title": "Second item",
        "topics-1-kind": "topic",
    }
    assert client.post(admin_url(Section, "change", section.pk), data).status_code == 302
    assert Topic.objects.get(pk=topic.pk).key == "first"


# --- Deleting sections and phases -------------------------------------------------------------


def test_deleting_a_section_with_items_asks_and_moves_them(client, editor, learner):
    roadmap_import_text(tiny())
    basics, more = Section.objects.get(title="Basics"), Section.objects.get(title="More")
    mark(learner, Topic.objects.get(key="first"))
    client.force_login(editor)
    url = admin_url(Section, "delete", basics.pk)
    page = client.get(url).content.decode()
    assert "hold" in page and "2 items" in page and "Move them" in page

    # Asking to move without a target changes nothing.
    response = client.post(url, {"what": "move"})
    assert "Choose the section the items move to." in response.content.decode()
    assert Section.objects.filter(pk=basics.pk).exists()

    response = client.post(url, {"what": "move", "move_to": more.pk})
    assert response.status_code == 302
    assert not Section.objects.filter(pk=basics.pk).exists()
    assert list(more.topics.order_by("position").values_list("key", "position")) == [
        ("third", 0),
        ("first", 1),
        ("second", 2),
    ]
    assert Progress.objects.get(user=learner).topic.key == "first"
    assert Section.objects.get(pk=more.pk).position == 0  # renumbered


def test_deleting_a_section_removing_items_retires_those_with_progress(client, editor, learner):
    roadmap_import_text(tiny())
    basics = Section.objects.get(title="Basics")
    mark(learner, Topic.objects.get(key="first"))
    client.force_login(editor)
    response = client.post(admin_url(Section, "delete", basics.pk), {"what": "remove"})
    assert response.status_code == 302
    first = Topic.objects.get(key="first")
    assert first.retired_at is not None and first.section is None
    assert not Topic.objects.filter(key="second").exists()
    assert Progress.objects.filter(user=learner).count() == 1


def test_moving_items_to_a_section_of_another_roadmap_is_refused(make_roadmap):
    roadmap_import_text(tiny())
    other = make_roadmap(slug="other", phases=1, sections=1, topics=1)
    with pytest.raises(Exception, match="same roadmap"):
        sections_delete(
            sections=[Section.objects.get(title="Basics")],
            move_to=Section.objects.get(phase__roadmap=other),
        )
    assert Section.objects.filter(title="Basics").exists()


def test_deleting_a_phase_with_items_asks_first(client, editor, learner):
    roadmap_import_text(
        tiny().replace(
            "phases:\n",
            "phases:\n  - title: Zero\n    level: beginner\n    sections:\n"
            "      - title: Keep\n        topics: []\n",
        )
    )
    first = Phase.objects.get(title="First")
    keep = Section.objects.get(title="Keep")
    client.force_login(editor)
    url = admin_url(Phase, "delete", first.pk)
    assert "3 items" in client.get(url).content.decode()
    assert client.post(url, {"what": "move", "move_to": keep.pk}).status_code == 302
    assert not Phase.objects.filter(pk=first.pk).exists()
    assert keep.topics.count() == 3


def test_deleting_sections_from_the_list_asks_about_their_items(client, editor):
    roadmap_import_text(tiny())
    basics, more = Section.objects.get(title="Basics"), Section.objects.get(title="More")
    client.force_login(editor)
    changelist = admin_url(Section, "changelist")
    step = {"action": "delete_selected", "_selected_action": [basics.pk]}
    assert "2 items" in client.post(changelist, step).content.decode()
    response = client.post(changelist, {**step, "what": "move", "move_to": more.pk})
    assert response.status_code == 302
    assert more.topics.count() == 3 and not Section.objects.filter(pk=basics.pk).exists()


def test_an_empty_section_is_deleted_with_the_usual_confirmation(client, editor):
    roadmap_import_text(tiny())
    empty = SectionFactory(phase=Phase.objects.get(title="First"), position=5)
    client.force_login(editor)
    url = admin_url(Section, "delete", empty.pk)
    assert "Are you sure" in client.get(url).content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Section.objects.filter(pk=empty.pk).exists()


def test_an_item_is_never_left_without_a_section():
    roadmap_import_text(tiny())
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.filter(key="first").update(section=None)
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        Section.objects.filter(title="Basics").delete()


# --- Items and phases stay in their roadmap -----------------------------------------------------


def test_moving_an_item_to_another_roadmaps_section_is_refused(client, editor, make_roadmap):
    roadmap_import_text(tiny())
    other = make_roadmap(slug="other", phases=1, sections=1, topics=1)
    topic = Topic.objects.get(key="first")
    client.force_login(editor)
    data = {
        "section": Section.objects.get(phase__roadmap=other).pk,
        "position": 0,
        "title": "First item",
        "summary": "",
        "kind": "topic",
        "resources-TOTAL_FORMS": 0,
        "resources-INITIAL_FORMS": 0,
    }
    response = client.post(admin_url(Topic, "change", topic.pk), data)
    assert response.status_code == 200
    assert "This section belongs to another roadmap" in response.content.decode()
    topic.refresh_from_db()
    assert topic.section.title == "Basics"
    assert client.get(reverse("roadmaps:detail", args=["tiny"])).status_code == 200


def test_the_roadmap_page_survives_an_item_in_another_roadmaps_section(client, make_roadmap):
    roadmap_import_text(tiny())
    other = make_roadmap(slug="other", phases=1, sections=1, topics=1)
    Topic.objects.filter(key="first").update(section=Section.objects.get(phase__roadmap=other))
    assert client.get(reverse("roadmaps:detail", args=["tiny"])).status_code == 200


def test_a_phase_cannot_move_to_another_roadmap(client, editor):
    roadmap_import_text(tiny())
    client.force_login(editor)
    page = client.get(admin_url(Phase, "change", Phase.objects.get().pk)).content.decode()
    assert 'name="roadmap"' not in page


# --- Archiving and deleting roadmaps ------------------------------------------------------------


def test_an_editor_cannot_delete_a_roadmap_learners_work_on(client, editor, learner):
    roadmap_import_text(tiny())
    roadmap = Roadmap.objects.get(slug="tiny")
    mark(learner, Topic.objects.get(key="first"))
    client.force_login(editor)
    url = admin_url(Roadmap, "delete", roadmap.pk)
    page = client.get(url).content.decode()
    assert "1 learner(s) have progress on it. Archive it instead" in page
    client.post(url, {"post": "yes"})
    bulk = {"action": "delete_selected", "_selected_action": [roadmap.pk], "post": "yes"}
    client.post(admin_url(Roadmap, "changelist"), bulk)
    assert Roadmap.objects.filter(pk=roadmap.pk).exists()
    assert Progress.objects.count() == 1


def test_an_editor_archives_a_roadmap_and_progress_stays(client, editor, learner):
    roadmap_import_text(tiny())
    roadmap = Roadmap.objects.get(slug="tiny")
    mark(learner, Topic.objects.get(key="first"))
    assert client.get("/api/v1/roadmaps/tiny").status_code == 200
    assert client.get("/api/v1/search?q=tiny").json()["count"] > 0
    client.force_login(editor)
    archive = {"action": "archive", "_selected_action": [roadmap.pk]}
    client.post(admin_url(Roadmap, "changelist"), archive)
    assert Roadmap.objects.get(pk=roadmap.pk).status == Roadmap.Status.ARCHIVED
    client.logout()
    assert client.get(reverse("roadmaps:detail", args=["tiny"])).status_code == 404
    assert client.get("/api/v1/roadmaps/tiny").status_code == 404
    assert client.get("/api/v1/search?q=tiny").json()["count"] == 0
    assert "Tiny" not in client.get(reverse("roadmaps:catalog")).content.decode()
    assert Progress.objects.filter(user=learner).count() == 1


def test_an_editor_may_delete_a_roadmap_nobody_works_on(client, editor):
    roadmap_import_text(tiny())
    roadmap = Roadmap.objects.get(slug="tiny")
    client.force_login(editor)
    assert client.post(admin_url(Roadmap, "delete", roadmap.pk), {"post": "yes"}).status_code == 302
    assert not Roadmap.objects.filter(pk=roadmap.pk).exists()


def test_a_superuser_deletes_after_being_told_how_many_learners_lose_progress(client, learner):
    roadmap_import_text(tiny())
    roadmap = Roadmap.objects.get(slug="tiny")
    mark(learner, Topic.objects.get(key="first"))
    mark(UserFactory(), Topic.objects.get(key="second"))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = admin_url(Roadmap, "delete", roadmap.pk)
    page = client.get(url).content.decode()
    assert "2 learner(s) lose their progress on Tiny if you delete it" in page
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Roadmap.objects.exists() and not Progress.objects.exists()


def test_existing_orphans_are_retired_by_the_migration(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    repair = next(
        key for key in executor.loader.graph.nodes if key[1].endswith("topic_always_in_a_section")
    )
    [before] = [
        dep for dep in executor.loader.graph.node_map[repair].parents if dep.key[0] == "roadmaps"
    ]
    executor.migrate([before.key])
    apps = executor.loader.project_state([before.key]).apps
    roadmap = apps.get_model("roadmaps", "Roadmap").objects.create(slug="old", title="Old")
    orphan = apps.get_model("roadmaps", "Topic").objects.create(
        roadmap=roadmap, section=None, key="orphan", title="Orphan"
    )
    executor = MigrationExecutor(connection)
    # Every app's latest, not only roadmaps': going back also unapplied other apps' migrations
    # that depend on later roadmaps ones (accounts 0004 and 0005), and later tests need them.
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Topic.objects.get(pk=orphan.pk).retired_at is not None


def test_deleting_a_section_from_the_phase_inline_is_refused_while_it_holds_items(client, editor):
    roadmap_import_text(tiny())
    phase = Phase.objects.get(title="First")
    basics, more = Section.objects.get(title="Basics"), Section.objects.get(title="More")
    client.force_login(editor)
    data = {
        "roadmap": phase.roadmap_id,
        "position": 0,
        "title": "First",
        "level": "beginner",
        "sections-TOTAL_FORMS": 2,
        "sections-INITIAL_FORMS": 2,
        "sections-0-id": basics.pk,
        "sections-0-phase": phase.pk,
        "sections-0-position": 0,
        "sections-0-title": "Basics",
        "sections-0-DELETE": "on",
        "sections-1-id": more.pk,
        "sections-1-phase": phase.pk,
        "sections-1-position": 1,
        "sections-1-title": "More",
        "resources-TOTAL_FORMS": 0,
        "resources-INITIAL_FORMS": 0,
    }
    response = client.post(admin_url(Phase, "change", phase.pk), data)
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Section.objects.filter(pk=basics.pk).exists()


def test_a_key_taken_between_check_and_write_is_refused(monkeypatch):
    from django.core.exceptions import ValidationError

    import roadmaps.services

    roadmap_import_text(tiny())
    monkeypatch.setattr(roadmaps.services, "topic_key_validate", lambda *, topic, key: key)
    topic = Topic.objects.get(key="first")
    with pytest.raises(ValidationError, match="was just taken"):
        topic_key_rename(topic=topic, key="second")
    assert Topic.objects.get(pk=topic.pk).key == "first"
