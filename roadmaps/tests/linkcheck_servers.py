"""Local stand-ins for the web, for the link checker's tests and benchmark.

`FakeWeb` is an aiohttp server on 127.0.0.1 (a free port) running on its own thread. Paths:

- `/status/<code>`: answers <code> to HEAD and GET;
- `/script/<name>`: answers the next response of `web.scripts[name]` (a list of
  (status, headers) pairs; the last one repeats);
- `/head-refused`: HEAD 405, GET 200;
- `/slow`: waits `web.slow_seconds` before answering;
- `/huge`: HEAD 405; GET 200 with an endless body (counts the bytes it managed to send);
- `/oembed`: a YouTube oEmbed stand-in: video ids "gone" -> 404, "private" -> 401, else 200;
- `/delay/<name>`: 200 after `web.delay_seconds` (the benchmark's 100 ms host).

Every request is counted in `web.hits[(method, path)]`. `ConnectionCounter` is a bare TCP
listener that only counts accepted connections: the SSRF tests point blocked URLs at it and
prove nothing ever connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

from aiohttp import web


class FakeWeb:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.port = port
        self.hits: Counter[tuple[str, str]] = Counter()
        self.scripts: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.slow_seconds = 5.0
        self.delay_seconds = 0.1
        self.huge_bytes_sent = 0
        self.user_agents: set[str] = set()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---

    def start(self) -> FakeWeb:
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="fake-web", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=1024)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._loop is None:
            return

        async def shutdown() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def count(self, path: str, method: str | None = None) -> int:
        with self._lock:
            return sum(n for (m, p), n in self.hits.items() if p == path and method in (None, m))

    # --- behaviour ---

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        with self._lock:
            self.hits[(request.method, path)] += 1
            self.user_agents.add(request.headers.get("User-Agent", ""))
        if path.startswith("/status/"):
            return web.Response(status=int(path.rsplit("/", 1)[1]))
        if path.startswith("/script/"):
            return self._scripted(path.rsplit("/", 1)[1])
        if path.startswith("/redirect/"):
            # /redirect/<code>?to=<url>
            return web.Response(
                status=int(path.rsplit("/", 1)[1]), headers={"Location": request.query["to"]}
            )
        if path == "/head-refused":
            return web.Response(status=405 if request.method == "HEAD" else 200)
        if path == "/slow":
            await asyncio.sleep(self.slow_seconds)
            return web.Response(text="finally")
        if path.startswith("/delay/"):
            await asyncio.sleep(self.delay_seconds)
            return web.Response(status=200)
        if path == "/huge":
            return await self._huge(request)
        if path == "/oembed":
            return self._oembed(request)
        if path == "/robots.txt":
            return web.Response(status=404)
        if path == "/links.html":
            return web.Response(text=self.links_page, content_type="text/html")
        return web.Response(status=404)

    links_page = "<html><body></body></html>"

    def _scripted(self, name: str) -> web.Response:
        with self._lock:
            steps = self.scripts[name]
            status, headers = steps.pop(0) if len(steps) > 1 else steps[0]
        return web.Response(status=status, headers=headers)

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        if request.method == "HEAD":
            return web.Response(status=405)
        response = web.StreamResponse(status=200)
        await response.prepare(request)
        chunk = b"x" * 65536
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            for _ in range(16 * 1024):  # up to 1 GiB, if anyone were to read it
                await response.write(chunk)
                self.huge_bytes_sent += len(chunk)
        return response

    def _oembed(self, request: web.Request) -> web.Response:
        target = request.query.get("url", "")
        query = parse_qs(urlsplit(target).query)
        video = (query.get("v") or query.get("list") or [""])[0]
        if request.query.get("format") != "json" or not target.startswith("https://www.youtube"):
            return web.Response(status=400)
        if video.startswith("gone"):
            return web.Response(status=404, text="Not Found")
        if video.startswith("private"):
            return web.Response(status=401, text="Unauthorized")
        body = {"type": "video", "title": f"Video {video}", "provider_name": "YouTube"}
        return web.Response(text=json.dumps(body), content_type="application/json")


@contextlib.contextmanager
def fake_web(host: str = "127.0.0.1") -> Iterator[FakeWeb]:
    server = FakeWeb(host).start()
    try:
        yield server
    finally:
        server.stop()


class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that counts connections and never answers."""

    def __init__(self) -> None:
        self.accepted = 0
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self._running = True
        self._thread = threading.Thread(target=self._accept, name="counter", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while self._running:
            try:
                connection, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        self._running = False
        self._thread.join(2)
        self._socket.close()
