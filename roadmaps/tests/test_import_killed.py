"""An import killed mid-way leaves nothing half-written (service tier: PostgreSQL).

The import runs as its own process (`manage.py import_roadmaps`, as at start-up). The test holds
the roadmap's row so that the import stops at its last step, the content-version bump, after it
has written the file's items; then the process is killed with SIGKILL, as a deploy or the OOM
killer would. PostgreSQL rolls the whole run back: the items, the version, the revision and the
record of the import are as before, and the next import applies the file normally.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from conftest import FLASK_CONTENT
from roadmaps.content import roadmap_import_files
from roadmaps.models import Revision, Roadmap, Topic

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, as a URL for a process of its own."""
    params = connection.settings_dict
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or "5432"
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return f"postgres://{params['USER']}{password}@{host}:{port}/{params['NAME']}"


def second_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params)


def wait_until_blocked(watcher: psycopg.Connection, importer: subprocess.Popen) -> set[str]:
    """Wait until the import process waits for our lock; returns the tables its backend holds
    write locks on by then (what it has written in its transaction)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert importer.poll() is None, importer.communicate()
        rows = watcher.execute(
            "SELECT DISTINCT c.relname FROM pg_stat_activity a "
            "JOIN pg_locks l ON l.pid = a.pid JOIN pg_class c ON c.oid = l.relation "
            "WHERE a.datname = current_database() AND a.wait_event_type = 'Lock' "
            "AND a.pid <> pg_backend_pid() AND l.mode = 'RowExclusiveLock'"
        ).fetchall()
        if rows:
            return {name for (name,) in rows}
        time.sleep(0.2)
    raise AssertionError("the import never reached the roadmap's row")


def test_an_import_killed_mid_way_changes_nothing(require_postgres, tmp_path):
    roadmap_import_files([FLASK_CONTENT])
    before = Roadmap.objects.get(slug="flask")
    revisions = Revision.objects.count()
    topic = Topic.objects.get(roadmap=before, key="client-server-model")
    edited = tmp_path / "flask.yaml"
    text = FLASK_CONTENT.read_text()
    assert text.count(f"title: {topic.title}\n") == 1
    edited.write_text(text.replace(f"title: {topic.title}\n", "title: Clients and servers\n"))

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TESTING": "1",
        "REDIS_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    holder, watcher = second_connection(), second_connection()
    watcher.autocommit = True
    try:
        # FOR NO KEY UPDATE: the import's UPDATE of this row waits; its foreign-key checks don't.
        holder.execute(
            "SELECT id FROM roadmaps_roadmap WHERE id = %s FOR NO KEY UPDATE", [before.pk]
        )
        importer = subprocess.Popen(
            [sys.executable, "manage.py", "import_roadmaps", str(edited)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            written = wait_until_blocked(watcher, importer)
            assert "roadmaps_topic" in written, written  # the item was written, not yet committed
        finally:
            importer.send_signal(signal.SIGKILL)
            importer.wait(timeout=30)
        holder.rollback()
    finally:
        holder.close()
        watcher.close()

    after = Roadmap.objects.get(pk=before.pk)
    assert Topic.objects.get(pk=topic.pk).title == topic.title
    assert (after.content_version, after.source_hash, after.source_imported_at) == (
        before.content_version,
        before.source_hash,
        before.source_imported_at,
    )
    assert Revision.objects.count() == revisions
    # Nothing was half-done, so nothing stands in the way of the next start-up's import.
    [report] = roadmap_import_files([edited])
    assert not report.refused and report.changed
    assert Topic.objects.get(pk=topic.pk).title == "Clients and servers"
