"""Revisions of whole roadmaps: recorded once per change, listed, compared, reverted."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from progress.models import Progress
from roadmaps.content import roadmap_export
from roadmaps.models import FAQ, Revision, Roadmap, Topic
from roadmaps.revision_diff import revision_diff
from roadmaps.tests.test_admin import post_change

pytestmark = pytest.mark.django_db


def revisions_of(roadmap: Roadmap) -> list[Revision]:
    return list(roadmap.revisions.order_by("number"))


def test_import_records_one_revision_with_the_export(flask_roadmap):
    [revision] = revisions_of(flask_roadmap)
    assert (revision.number, revision.how, revision.user) == (1, "import", None)
    assert revision.text == roadmap_export(flask_roadmap)
    assert revision.content_version == Roadmap.objects.get(pk=flask_roadmap.pk).content_version
    # Compressed: the Flask roadmap's file is far bigger than its snapshot (see docs/editing.md).
    assert len(revision.snapshot) * 3 < len(revision.text.encode())


def test_a_roadmap_page_save_with_many_inline_changes_is_one_revision(
    client, editor, flask_roadmap
):
    client.force_login(editor)

    def edit(data):
        data["summary"] = "A new summary."
        data["phases-0-title"] = "Renamed phase"
        data["faqs-0-answer"] = "A new answer."
        data["phases-5-position"] = "0"

    post_change(client, flask_roadmap, edit)
    first, second = revisions_of(flask_roadmap)
    assert (second.number, second.how, second.user, second.user_name) == (
        2,
        "admin",
        editor,
        "grace",
    )
    assert second.text == roadmap_export(Roadmap.objects.get(pk=flask_roadmap.pk))
    kinds = {
        (change.level, tuple(change.kinds)) for change in revision_diff(first.text, second.text)
    }
    assert ("Roadmap", ("changed",)) in kinds
    assert ("Phase", ("changed",)) in kinds
    assert ("FAQ", ("changed",)) in kinds
    assert ("Phase", ("moved",)) in kinds


def test_admin_actions_and_deletes_record_revisions(client, editor, flask_roadmap):
    client.force_login(editor)
    url = reverse("admin:roadmaps_roadmap_changelist")
    client.post(url, {"action": "unpublish", "_selected_action": [flask_roadmap.pk]})
    faq = flask_roadmap.faqs.first()
    client.post(reverse("admin:roadmaps_faq_delete", args=[faq.pk]), {"post": "yes"})
    assert [r.how for r in revisions_of(flask_roadmap)] == ["import", "admin", "admin"]
    assert "status: draft" in revisions_of(flask_roadmap)[1].text


def test_link_checker_bump_records_no_revision(flask_roadmap):
    Roadmap.objects.filter(pk=flask_roadmap.pk).bump_content_version()
    assert len(revisions_of(flask_roadmap)) == 1


def test_diff_names_added_removed_changed_and_moved_rows():
    faq = "  - question: {}\n    answer: {}\n"
    old = "slug: a\ntitle: A\nfaqs:\n" + faq.format("Q1", "one") + faq.format("Q2", "two")
    new = "slug: a\ntitle: B\nfaqs:\n" + faq.format("Q2", "two!") + faq.format("Q3", "3")
    changes = {(c.level, c.label): (c.kinds, c.fields) for c in revision_diff(old, new)}
    assert changes[("Roadmap", "Roadmap")] == (["changed"], [("title", "A", "B")])
    assert changes[("FAQ", "Q2")] == (["changed"], [("answer", "two", "two!")])
    assert changes[("FAQ", "Q3")][0] == ["added"]
    assert changes[("FAQ", "Q1")][0] == ["removed"]


def test_history_page_lists_revisions_with_pinned_queries(
    client, editor, flask_roadmap, django_assert_num_queries
):
    client.force_login(editor)
    post_change(client, flask_roadmap.faqs.first(), lambda data: data.update(answer="New <b>."))
    url = reverse("admin:roadmaps_roadmap_revisions", args=[flask_roadmap.pk])
    # session, user, roadmap, the editor's permissions (2), revisions: not one per revision
    with django_assert_num_queries(6):
        response = client.get(url)
    page = response.content.decode()
    assert "Revert to this revision" in page and "grace" in page
    compare = client.get(url + "compare/", {"a": 1, "b": 2}).content.decode()
    assert "Because" not in compare  # only what changed
    assert "New &lt;b&gt;." in compare  # changed text shown, escaped


def test_learner_cannot_see_history(client, learner, flask_roadmap):
    client.force_login(learner)
    response = client.get(reverse("admin:roadmaps_roadmap_revisions", args=[flask_roadmap.pk]))
    assert response.status_code == 302  # to the admin's login


def test_revert_in_the_admin_keeps_progress_and_records_a_revision(
    client, editor, learner, flask_roadmap
):
    topic = flask_roadmap.topics.get(key="client-server-model")
    Progress.objects.create(
        user=learner,
        roadmap=flask_roadmap,
        topic=topic,
        status="done",
        updated_at=topic.roadmap.updated_at,
    )
    client.force_login(editor)
    post_change(client, topic, lambda data: data.update(title="Retitled"))
    url = reverse("admin:roadmaps_roadmap_revert", args=[flask_roadmap.pk, 1])
    confirm = client.get(url).content.decode()
    assert "Retitled" in confirm and "Client" in confirm
    assert Topic.objects.get(pk=topic.pk).title == "Retitled"  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).title != "Retitled"
    assert Progress.objects.get(user=learner).topic_id == topic.pk
    latest = revisions_of(flask_roadmap)[-1]
    assert (latest.number, latest.how, latest.user_name) == (3, "revert", "grace")
    assert latest.text == revisions_of(flask_roadmap)[0].text


def test_history_and_revert_commands(capsys, flask_roadmap):
    FAQ.objects.filter(roadmap=flask_roadmap).update(answer="x")  # not a revision: a raw write
    flask_roadmap.refresh_from_db()
    call_command("roadmap_revert", "flask", "1")  # undoes the raw write too: revision 2
    faq = flask_roadmap.faqs.first()
    faq.answer = "Changed."
    faq.save()
    from roadmaps.changes import roadmap_content_changed

    roadmap_content_changed(roadmaps=[flask_roadmap], message="by a script")
    call_command("roadmap_revert", "flask", "1")
    capsys.readouterr()
    call_command("roadmap_history", "flask")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["4", "3", "2", "1"]
    assert "revert" in lines[0] and "by a script" in lines[1]
    assert FAQ.objects.get(pk=faq.pk).answer != "Changed."
    with pytest.raises(CommandError, match="no revision 9"):
        call_command("roadmap_revert", "flask", "9")
    with pytest.raises(CommandError, match="no roadmap"):
        call_command("roadmap_history", "nope")


def test_snapshots_are_stored_as_json_and_read_back_as_the_file(flask_roadmap):
    import json
    import zlib

    [revision] = revisions_of(flask_roadmap)
    stored = zlib.decompress(bytes(revision.snapshot)).decode()
    assert json.loads(stored)["slug"] == "flask"  # compact JSON, not the YAML file
    assert revision.text == roadmap_export(flask_roadmap)
    # A revision recorded before (its snapshot the file itself) reads the same.
    revision.snapshot = Revision.pack(roadmap_export(flask_roadmap))
    assert revision.text == roadmap_export(flask_roadmap)


def test_one_import_of_several_files_records_a_revision_per_file_and_knows_every_url(
    tmp_path, django_capture_on_commit_callbacks
):
    from roadmaps.content import roadmap_import_files
    from roadmaps.linkcheck.models import LinkStatus

    paths = []
    for slug in ("one", "two"):
        path = tmp_path / f"{slug}.yaml"
        path.write_text(
            f"slug: {slug}\ntitle: {slug}\nresources:\n  - kind: article\n    title: A\n"
            f"    url: https://{slug}.example.org/\nphases: []\n"
        )
        paths.append(path)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        roadmap_import_files(paths)
    assert len(callbacks) == 1  # the new URLs of every file, handed over once
    for slug, path in zip(("one", "two"), paths, strict=True):
        roadmap = Roadmap.objects.get(slug=slug)
        [revision] = revisions_of(roadmap)
        assert revision.message == f"imported from {path}"
        assert revision.content_version == roadmap.content_version == roadmap.source_version
    known = set(LinkStatus.objects.values_list("url", flat=True))
    assert {"https://one.example.org/", "https://two.example.org/"} <= known
