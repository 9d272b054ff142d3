"""Run the production web server: `python -m roadmapfinder.serve`.

One place for the server's command line, used by `make serve`, the Dockerfile and the compose web
container. The server is granian (WSGI): its Rust side reads requests asynchronously and hands the
Django app only complete ones, so slow clients (a request dribbled a byte a second) hold a cheap
connection, not one of the few Python threads. gunicorn's threaded workers, measured the same way
(100 slow connections), stopped answering altogether: a thread waits for the rest of a request
once its first byte arrives. `bench/slow_clients.py` repeats the measurement.

In compose, nginx in front buffers requests and responses as well; granian's own header timeout
is the guard where nothing is in front (`make serve`).

Environment (all optional):
WEB_HOST (127.0.0.1), WEB_PORT (8000), WEB_WORKERS (2 processes), WEB_THREADS (8 threads per
process running Django), WEB_HEADER_TIMEOUT (10 seconds to send the request head).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping


def serve_command(environ: Mapping[str, str] = os.environ) -> list[str]:
    """granian's command line for the WEB_* variables in `environ`."""

    def number(name: str, default: int) -> int:
        raw = environ.get(name, "").strip()
        return int(raw) if raw else default

    granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or "granian"
    threads = number("WEB_THREADS", 8)
    return [
        granian,
        "--interface", "wsgi",
        "--host", environ.get("WEB_HOST", "127.0.0.1"),
        "--port", str(number("WEB_PORT", 8000)),
        "--workers", str(number("WEB_WORKERS", 2)),
        # Django runs in these threads. No --backpressure: it caps connections being read too,
        # so a few slow clients would use it up (measured: set to the thread count, normal
        # requests were no longer answered under the slow-client bench).
        "--blocking-threads", str(threads),
        "--http1-header-read-timeout", str(number("WEB_HEADER_TIMEOUT", 10) * 1000),
        "--respawn-failed-workers",
        "--workers-kill-timeout", "30",
        "--no-ws",
        "roadmapfinder.wsgi:application",
    ]  # fmt: skip


def main() -> None:
    command = serve_command()
    os.execv(command[0], command)  # noqa: S606 (fixed program, arguments from our own settings)


if __name__ == "__main__":
    main()
