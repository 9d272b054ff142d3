"""30 s of load at 64 connections against `make serve` with PostgreSQL and Redis.

Each connection loops over the public pages and API endpoints (keep-alive). Prints requests per
second, the answers by status, errors (anything but 200, 304 and the throttle's intended 429s,
or no answer), and the resident memory of the server's processes at the start and the end of the
load. The anchor is the first 5 s of the same run: requests per second in the last 5 s against it
(a server that degrades under sustained load shows a ratio well below 1).

Needs DATABASE_URL (postgres://...) and REDIS_URL (the server migrates and imports into that
database); without them it says so and does nothing. Loopback only. BENCH_LOAD_SECONDS and
BENCH_LOAD_CONNECTIONS change the defaults (30, 64).
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "64"))
PATHS = [
    "/",
    "/roadmaps/flask/",
    "/search/?q=jwt",
    "/api/v1/roadmaps",
    "/api/v1/roadmaps/flask",
    "/api/v1/search?q=flask",
    "/api/v1/health",
]
EXPECTED = {200, 304, 429}


def spare_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_rss_mb(pgid: int) -> float:
    """Resident memory of every process in the server's process group (Linux /proc)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


def load(port: int, stop: threading.Event, statuses: Counter, times: list[float]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = 0
    while not stop.is_set():
        path = PATHS[n % len(PATHS)]
        n += 1
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
        except (OSError, http.client.HTTPException) as error:
            statuses[type(error).__name__] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        times.append(time.monotonic())
    connection.close()


def wait_until_up(server: subprocess.Popen, port: int) -> None:
    """Wait for the health check to answer 200; give up when the server exits or after 300 s."""
    deadline = time.monotonic() + 300
    while True:
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit("make serve did not come up")
        try:
            with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=2)) as probe:
                probe.request("GET", "/api/v1/health")
                if probe.getresponse().status == 200:
                    break
        except OSError:
            pass
        time.sleep(0.5)


def main() -> None:
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith("postgres") or not redis:
        print("skipped: set DATABASE_URL=postgres://... and REDIS_URL=redis://... to run it")
        return
    port = spare_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT / "var")),
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_REQUESTS": "0",
    }
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(server, port)
        statuses: Counter = Counter()
        times: list[float] = []
        stop = threading.Event()
        workers = [
            threading.Thread(target=load, args=(port, stop, statuses, times), daemon=True)
            for _ in range(CONNECTIONS)
        ]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        time.sleep(min(5.0, SECONDS / 6))
        rss_start = group_rss_mb(server.pid)
        time.sleep(max(0.0, SECONDS - (time.monotonic() - started)))
        rss_end = group_rss_mb(server.pid)
        stop.set()
        for worker in workers:
            worker.join(timeout=15)
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    report(statuses, times, started, elapsed, rss_start, rss_end)


def report(
    statuses: Counter,
    times: list[float],
    started: float,
    elapsed: float,
    rss_start: float,
    rss_end: float,
) -> None:
    total = sum(statuses.values())
    errors = {status: count for status, count in statuses.items() if status not in EXPECTED}
    first = sum(1 for t in times if t - started < 5) / 5
    last = sum(1 for t in times if started + elapsed - 5 <= t) / 5
    print(f"{CONNECTIONS} connections, {elapsed:.0f} s: {total} requests, {total / elapsed:.0f}/s")
    print(
        "answers: " + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items(), key=str))
    )
    print(f"errors (not 200/304/429): {sum(errors.values())} {errors or ''}")
    print(f"server memory (all processes): {rss_start:.0f} MB at start, {rss_end:.0f} MB at end")
    print(
        f"requests/s, last 5 s vs first 5 s (anchor): {last:.0f} vs {first:.0f}, "
        f"ratio {last / first if first else float('nan'):.2f}"
    )


if __name__ == "__main__":
    main()
