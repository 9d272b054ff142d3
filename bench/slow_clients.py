"""Slow clients: 100 connections each sending a request a byte a second, while a normal request
is timed every half second, against the production server (granian, as `make serve` and the
web container run it) and, as the anchor in the same run, gunicorn's threaded worker with the
same number of processes and threads.

Prints, per server: normal requests answered, failures (no answer within 5 s), median and worst
latency, and how many slow connections the server closed itself. Loopback only, on a temporary
SQLite database; each server runs for BENCH_SLOW_SECONDS (default 15) under load.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roadmapfinder.serve import serve_command  # noqa: E402
from roadmapfinder.slow_clients import SlowClientReport, slow_clients_run  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SLOW_SECONDS", "15"))
CONNECTIONS = 100
WORKERS, THREADS = 2, 8


def spare_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                if sock.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("server did not start")


def measure(name: str, command: list[str], env: dict[str, str], port: int) -> None:
    with tempfile.TemporaryFile() as log:
        report = _run(command, env, port, log)
    latencies = sorted(report.latencies)
    answered = len(latencies) - len(report.failures)
    closed = report.slow_connections_opened - report.slow_connections_still_open
    print(
        f"{name:<28} normal requests {answered}/{len(latencies)} answered, "
        f"median {latencies[len(latencies) // 2]:.3f} s, worst {latencies[-1]:.3f} s; "
        f"slow connections closed by the server: {closed}/{report.slow_connections_opened}"
    )


def _run(command: list[str], env: dict[str, str], port: int, log: IO[bytes]) -> SlowClientReport:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        try:
            wait_until_up(port, process)
        except SystemExit:
            log.seek(0)
            sys.stderr.write(log.read()[-2000:].decode(errors="replace"))
            raise
        report = slow_clients_run(
            f"http://127.0.0.1:{port}", connections=CONNECTIONS, seconds=SECONDS
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return report


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": tmp,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "LOG_REQUESTS": "0",
            "WEB_WORKERS": str(WORKERS),
            "WEB_THREADS": str(THREADS),
        }
        python = sys.executable
        for args in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)
        print(
            f"{CONNECTIONS} slow clients (a byte a second), {SECONDS:.0f} s per server, "
            f"{WORKERS} processes x {THREADS} threads"
        )
        port = spare_port()
        granian_env = {**env, "WEB_PORT": str(port)}
        measure("granian (make serve)", serve_command(granian_env), granian_env, port)
        port = spare_port()
        gunicorn = str(Path(python).parent / "gunicorn")
        measure(
            "gunicorn gthread (anchor)",
            [gunicorn, "roadmapfinder.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--worker-class", "gthread", "--workers", str(WORKERS), "--threads", str(THREADS),
             "--timeout", "30"],
            env,
            port,
        )  # fmt: skip


if __name__ == "__main__":
    main()
