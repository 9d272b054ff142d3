"""Content files never overwrite the admin: skipped, applied, refused, forced (importing.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import FLASK_CONTENT
from roadmaps.content import roadmap_export, roadmap_import_files
from roadmaps.models import FAQ, Revision, Roadmap, Topic
from roadmaps.tests.test_content import MINIMAL, content_snapshot, write

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def admin_edit_faq(client, editor, faq: FAQ, answer: str) -> None:
    client.force_login(editor)
    response = client.post(
        reverse("admin:roadmaps_faq_change", args=[faq.pk]),
        {
            "roadmap": faq.roadmap_id,
            "position": faq.position,
            "question": faq.question,
            "answer": answer,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def startup_import_args(path: str, pattern: str) -> list[str]:
    """The arguments the start-up path gives import_roadmaps, read from the file itself."""
    text = (ROOT / path).read_text()
    match = re.search(pattern, text)
    assert match, f"{path} no longer runs import_roadmaps at start-up"
    return match[1].split()


MAKE_RUN = ("Makefile", r"manage\.py import_roadmaps ([^|;&\n]+?)\s*\|\|")
CONTAINER = ("docker-compose.yml", r"manage\.py import_roadmaps ([^|;&\n]+?)\s*\|\|")


@pytest.mark.parametrize("startup", [MAKE_RUN, CONTAINER], ids=["make-run", "container"])
def test_admin_edit_survives_a_restart(startup, client, editor, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = startup_import_args(*startup)
    call_command("import_roadmaps", *args)  # the first start creates the roadmap
    faq = FAQ.objects.filter(roadmap__slug="flask").first()
    admin_edit_faq(client, editor, faq, "Edited in the admin.")
    call_command("import_roadmaps", *args)  # a restart: the file is as last imported
    assert FAQ.objects.get(pk=faq.pk).answer == "Edited in the admin."


@pytest.mark.parametrize("startup", ["Makefile", "docker-compose.yml"])
@pytest.mark.parametrize(("status", "serves"), [(0, True), (3, True), (1, False)])
def test_startup_keeps_serving_after_refusals_only(startup, status, serves, tmp_path):
    """Every start-up line around import_roadmaps (make run, make serve, the web container),
    with the command replaced by an exit status."""
    text = (ROOT / startup).read_text()
    lines = [line for line in text.splitlines() if "import_roadmaps" in line]
    assert lines, f"{startup} no longer runs import_roadmaps at start-up"
    command = r"(\$\(SERVE_ENV\) )?(DEBUG=1 )?\S*(python|\$\(PY\)) manage\.py import_roadmaps \S+"
    for line in lines:
        line = line.strip().replace("$$", "$")
        line, count = re.subn(command, f"(exit {status})", line)
        assert count == 1, line
        line = line.removesuffix("&&").strip()
        result = subprocess.run(
            ["/bin/sh", "-c", f"{line} && echo SERVING"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert ("SERVING" in result.stdout) is serves, (line, result)
    if status == 3:
        assert "NOT imported" in result.stderr


def test_unchanged_file_is_skipped_without_parsing(tmp_path):
    path = write(tmp_path, MINIMAL)
    roadmap_import_files([path])
    with CaptureQueriesContext(connection) as queries:
        [report] = roadmap_import_files([path])
    assert report.skipped and not report.changed
    # One query finds the roadmaps by file hash; nothing else (no parsing into rows).
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_changed_file_applies_when_nobody_edited_since(tmp_path):
    roadmap_import_files([write(tmp_path, MINIMAL)])
    [report] = roadmap_import_files([write(tmp_path, MINIMAL.replace("Because.", "Why not."))])
    assert report.changed and not report.refused
    assert FAQ.objects.get().answer == "Why not."
    roadmap = Roadmap.objects.get(slug="demo")
    assert roadmap.source_version == roadmap.content_version
    assert [r.how for r in roadmap.revisions.order_by("number")] == ["import", "import"]


def test_conflicting_file_is_refused_and_changes_nothing(tmp_path, client, editor):
    roadmap_import_files([write(tmp_path, MINIMAL)])
    admin_edit_faq(client, editor, FAQ.objects.get(), "Edited by Grace.")
    other = MINIMAL.replace("slug: demo", "slug: other").replace("key: hello", "key: hi")
    roadmap_import_files([write(tmp_path, other, "other.yaml")])
    before = content_snapshot()
    changed = write(tmp_path, MINIMAL.replace("title: Hello", "title: Hello again"))
    brand_new = write(tmp_path, other.replace("slug: other", "slug: brand-new"), "new.yaml")
    with pytest.raises(CommandError) as refused:
        call_command("import_roadmaps", str(changed), str(brand_new))
    assert refused.value.returncode == 3
    message = str(refused.value)
    assert str(changed) in message
    assert "1 change by grace" in message
    assert "UTC" in message  # the last import's time
    assert f"export_roadmap demo --output {changed}" in message
    assert f"import_roadmaps --force {changed}" in message
    assert FAQ.objects.get(roadmap__slug="demo").answer == "Edited by Grace."
    assert Topic.objects.get(key="hello").title == "Hello"
    # The other roadmap in the same run was still imported (created).
    assert Roadmap.objects.filter(slug="brand-new").exists()
    assert content_snapshot() != before
    Roadmap.objects.filter(slug="brand-new").delete()
    assert content_snapshot() == before


def test_force_applies_and_keeps_the_replaced_state_as_a_revision(tmp_path, client, editor):
    roadmap_import_files([write(tmp_path, MINIMAL)])
    admin_edit_faq(client, editor, FAQ.objects.get(), "Edited by Grace.")
    roadmap = Roadmap.objects.get(slug="demo")
    edited = roadmap_export(roadmap)
    path = write(tmp_path, MINIMAL.replace("title: Hello", "title: Hello again"))
    call_command("import_roadmaps", "--force", str(path))
    assert Topic.objects.get(key="hello").title == "Hello again"
    assert FAQ.objects.get().answer == "Because."
    revisions = list(roadmap.revisions.order_by("number"))
    assert [r.how for r in revisions] == ["import", "admin", "import"]
    assert revisions[1].text == edited and revisions[1].user_name == "grace"
    # After a forced import the file is the roadmap's source again: a restart skips it.
    [report] = roadmap_import_files([path])
    assert report.skipped


def test_roadmap_without_import_record_adopts_an_identical_file_and_refuses_another(tmp_path):
    path = write(tmp_path, MINIMAL)
    roadmap_import_files([path])
    Roadmap.objects.update(source_hash="", source_version=None, source_imported_at=None)
    [report] = roadmap_import_files([path])  # same content: adopted, nothing changes
    assert not report.changed and not report.refused
    assert Roadmap.objects.get().source_hash
    Roadmap.objects.update(source_hash="", source_version=None, source_imported_at=None)
    [report] = roadmap_import_files([write(tmp_path, MINIMAL.replace("Because.", "Other."))])
    assert "no import from a file on record" in report.refused
    assert FAQ.objects.get().answer == "Because."


def test_link_checker_bump_is_not_an_edit(tmp_path):
    roadmap_import_files([write(tmp_path, MINIMAL)])
    Roadmap.objects.bump_content_version()  # what the link checker does when it hides a link
    [report] = roadmap_import_files([write(tmp_path, MINIMAL.replace("Because.", "Yes."))])
    assert report.changed and not report.refused
    assert Revision.objects.count() == 2


def test_flask_content_imports_and_reimports_skipped():
    roadmap_import_files([FLASK_CONTENT])
    [report] = roadmap_import_files([FLASK_CONTENT])
    assert report.skipped
