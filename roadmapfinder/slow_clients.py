"""Slow clients against a running server: N connections that each send a request one byte a
second, while normal requests are timed. Loopback only, bounded in time.

Used by `bench/slow_clients.py` (prints figures for `make serve`) and the service test that
proves normal requests are still answered under this load.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class SlowClientReport:
    slow_connections_opened: int = 0
    slow_connections_still_open: int = 0
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def worst(self) -> float:
        return max(self.latencies, default=float("inf"))


def _slow_client(host: str, port: int, stop: threading.Event, report: SlowClientReport) -> None:
    request = b"GET / HTTP/1.1\r\nHost: " + host.encode() + b"\r\nX-Slow: " + b"a" * 200
    try:
        sock = socket.create_connection((host, port), timeout=5)
    except OSError:
        return
    report.slow_connections_opened += 1
    try:
        for byte in request:
            if stop.is_set():
                break
            sock.sendall(bytes([byte]))
            stop.wait(1.0)
        else:
            return
        report.slow_connections_still_open += 1
    except OSError:
        pass  # the server closed it: fine, that is one way to cope
    finally:
        sock.close()


def _normal_request(host: str, port: int, path: str, timeout: float) -> tuple[float, str | None]:
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
            )
            head = sock.recv(64)
    except OSError as error:
        return time.monotonic() - started, f"{type(error).__name__}: {error}"
    elapsed = time.monotonic() - started
    if not head.startswith(b"HTTP/1.1 200") and not head.startswith(b"HTTP/1.0 200"):
        return elapsed, f"answer {head[:20]!r}"
    return elapsed, None


def slow_clients_run(
    url: str,
    *,
    connections: int = 100,
    seconds: float = 20.0,
    path: str = "/api/v1/health",
    every: float = 0.5,
    request_timeout: float = 5.0,
) -> SlowClientReport:
    """Hold `connections` slow clients open for `seconds` and time a normal GET of `path` every
    `every` seconds meanwhile (each normal request gives up after `request_timeout`)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 80
    if host not in LOOPBACK:
        raise ValueError(f"slow clients are for loopback servers only, not {host!r}")
    report = SlowClientReport()
    stop = threading.Event()
    threads = [
        threading.Thread(target=_slow_client, args=(host, port, stop, report), daemon=True)
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    time.sleep(min(2.0, seconds / 4))  # let them all connect and start dribbling
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        elapsed, failure = _normal_request(host, port, path, request_timeout)
        report.latencies.append(elapsed)
        if failure:
            report.failures.append(failure)
        time.sleep(every)
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    return report
