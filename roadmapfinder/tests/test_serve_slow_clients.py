"""Slow clients (issue 13): `make serve` (the production server, granian) keeps answering normal
requests while 100 connections each send their request a byte a second.

Service tier: starts the real server with `make serve` on a spare loopback port (on a temporary
SQLite database, so nothing of the run's own database is touched), and stops it again.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from conftest import REQUIRE_SERVICES
from roadmapfinder.slow_clients import slow_clients_run
from roadmapfinder.tests.servers import LOOPBACK, http_get, spare_port

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300  # migrate and import on a loaded machine


def test_make_serve_answers_normal_requests_under_slow_client_load(tmp_path):
    if not (REQUIRE_SERVICES or settings.USING_POSTGRES):
        pytest.skip("the real server under slow clients runs in the service tier")
    port = spare_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "4",
    }
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"HOST={LOOPBACK}", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # one process group: make, python, granian and its workers
    )
    url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            try:
                if http_get(url + "/api/v1/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "make serve did not come up"
            time.sleep(0.5)
        assert http_get(url + "/roadmaps/flask/")[0] == 200  # migrated and imported

        report = slow_clients_run(url, connections=100, seconds=10, request_timeout=5)

        assert report.slow_connections_opened == 100
        assert report.failures == []
        # "Answered within a second", generously: nine in ten, on a shared 2-core machine.
        within_a_second = [latency for latency in report.latencies if latency < 1.0]
        assert len(within_a_second) >= 0.9 * len(report.latencies), report.latencies
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
