"""Service tier: real Celery workers on Redis check a roadmap's links end to end, and a worker
killed mid-pass loses nothing. Needs PostgreSQL (the worker process must see the test database)
and Redis; with REQUIRE_SERVICES=1 a missing service fails instead of skipping.

Workers run with LINKCHECK_ALLOWED_HOSTS=127.0.0.1 on a queue of their own, so they can only
ever reach the local fake server, and never pick up another test's tasks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from roadmaps.linkcheck import queue
from roadmaps.models import LinkStatus, Resource
from roadmaps.tests.celery_apps import celery_app_at
from roadmaps.tests.factories import RoadmapFactory
from roadmaps.tests.linkcheck_servers import FakeWeb

pytestmark = [pytest.mark.services]

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def web():
    server = FakeWeb().start()
    yield server
    server.stop()


@pytest.fixture
def worker_env(require_postgres, redis_url, transactional_db):
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"linkcheck-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TESTING": "1",
        "CELERY_QUEUE": queue,
        "LINKCHECK_ALLOW_PRIVATE_NETWORKS": "1",
        "LINKCHECK_ALLOWED_HOSTS": "127.0.0.1",
        "LINKCHECK_BATCH_SIZE": "4",
        "LINKCHECK_PER_HOST_CONCURRENCY": "2",
        "LINKCHECK_RETRIES": "0",
        "LINKCHECK_LEASE_SECONDS": "8",
        "LINKCHECK_TASK_TIME_LIMIT": "60",
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


class Workers:
    def __init__(self, env: dict[str, str]):
        self.env = env
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self, name: str) -> subprocess.Popen:
        log = Path(tempfile.mkstemp(prefix=f"worker-{name}-", suffix=".log")[1])
        self.logs.append(log)
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "roadmapfinder", "worker",
                "--pool=prefork", "--concurrency=1", "--loglevel=INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killing it kills the pool too
        )  # fmt: skip
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes:
            self.kill(process)
        for log in self.logs:
            log.unlink(missing_ok=True)

    def tail(self) -> str:
        return "\n".join(log.read_text()[-3000:] for log in self.logs if log.exists())


@pytest.fixture
def workers(worker_env):
    pool = Workers(worker_env)
    yield pool
    pool.stop_all()


def send_pass(queue: str) -> None:
    from roadmapfinder.celery import app

    app.send_task("roadmaps.tasks.links_check_due", queue=queue)


def wait_until(predicate, timeout: float, what: str, workers: Workers) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n{workers.tail()}")


def add_resources(roadmap, urls: list[str]) -> None:
    # bulk_create: no save hooks, so nothing is queued from this process.
    Resource.objects.bulk_create(
        [
            Resource(roadmap=roadmap, kind="article", title=f"R{i}", url=url, position=i)
            for i, url in enumerate(urls)
        ]
    )


def test_a_worker_checks_a_roadmaps_links_end_to_end(web, worker_env, workers):
    roadmap = RoadmapFactory(slug="served")
    web.scripts["moved"] = [(301, {"Location": "/status/200"})]
    urls = {
        web.url("/status/200"): "ok",
        web.url("/status/404"): "broken",
        web.url("/script/moved"): "redirected",
        web.url("/head-refused"): "ok",
        web.url("/status/503"): "unknown",
    }
    add_resources(roadmap, list(urls))
    workers.start("solo")
    send_pass(worker_env["CELERY_QUEUE"])
    wait_until(
        lambda: LinkStatus.objects.filter(checked_at__isnull=False).count() == len(urls),
        60,
        "the pass",
        workers,
    )
    assert dict(LinkStatus.objects.values_list("url", "result")) == urls


def test_saved_urls_queued_after_the_commit_are_checked_by_a_worker(web, worker_env, workers):
    roadmap = RoadmapFactory(slug="saved")
    urls = {web.url("/status/200"): "ok", web.url("/status/404"): "broken"}
    add_resources(roadmap, list(urls))
    workers.start("saved")
    # What roadmap_content_changed does on commit, published from this process to the worker's
    # queue on the real Redis.
    with celery_app_at(worker_env["REDIS_URL"], task_default_queue=worker_env["CELERY_QUEUE"]):
        assert queue.links_queue_new(urls=list(urls)) == sorted(urls)
    wait_until(
        lambda: LinkStatus.objects.filter(checked_at__isnull=False).count() == len(urls),
        60,
        "the saved URLs' checks",
        workers,
    )
    assert dict(LinkStatus.objects.values_list("url", "result")) == urls


def test_killing_a_worker_mid_pass_loses_nothing_and_checks_nothing_twice(web, worker_env, workers):
    web.delay_seconds = 0.4
    roadmap = RoadmapFactory(slug="slow")
    urls = [web.url(f"/delay/{i}") for i in range(24)]
    add_resources(roadmap, urls)
    first = workers.start("first")
    send_pass(worker_env["CELERY_QUEUE"])
    checked = LinkStatus.objects.filter(checked_at__isnull=False)
    wait_until(lambda: checked.count() >= 4, 60, "the first checks", workers)
    workers.kill(first)  # SIGKILL mid-pass: no clean shutdown, no acks
    done_before = checked.count()
    assert done_before < len(urls)
    workers.start("second")
    wait_until(lambda: checked.count() == len(urls), 90, "the rest of the pass", workers)
    # Each URL was recorded exactly once, although batches were redelivered.
    assert sorted(LinkStatus.objects.values_list("check_count", flat=True)) == [1] * len(urls)
    assert set(LinkStatus.objects.values_list("result", flat=True)) == {"ok"}
    assert LinkStatus.objects.exclude(lease_token="").count() == 0
