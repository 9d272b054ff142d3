"""Link checker benchmark: 2,000 URLs on 20 local hosts that each answer after 100 ms.

Prints, for our checker at its default settings: wall time, links per second, CPU seconds, peak
memory and the ratio to the ideal (URLs x latency / concurrency: what a checker with that many
requests in flight and zero overhead would take). Then the same URLs, in the same run, through
LinkChecker (Debian package `linkchecker`) and linkinator (npm), with their wall times and how
much faster we are. A tool that can't be installed is reported and skipped.

The hosts are 127.0.0.2 .. 127.0.0.21 (all loopback), served by a separate process so the
servers' CPU is not counted as ours. Everything is bounded in time (BENCH_TOOL_TIMEOUT per tool).
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

URL_COUNT = int(os.environ.get("BENCH_URLS", "2000"))
HOST_COUNT = 20
LATENCY = 0.1
TOOL_TIMEOUT = float(os.environ.get("BENCH_TOOL_TIMEOUT", "300"))
ROOT = Path(__file__).resolve().parent.parent
HOSTS = [f"127.0.0.{2 + index}" for index in range(HOST_COUNT)]


# --- The local hosts (child process) ----------------------------------------------------------


def serve(port: int, page_host: str) -> None:
    """A deliberately tiny HTTP/1.1 server (keep-alive, HEAD and GET): it should cost next to
    no CPU, so the figures measure the checkers, not the stand-in hosts."""
    links = "\n".join(f'<a href="{url}">{index}</a>' for index, url in enumerate(bench_urls(port)))
    page = f"<!doctype html><html><head><title>links</title></head><body>{links}</body></html>"
    page_bytes = page.encode()

    def response(status: str, body: bytes, content_type: str, head: bool) -> bytes:
        header = (
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
        ).encode()
        return header if head else header + body

    class Host(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport
            self.buffer = b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while b"\r\n\r\n" in self.buffer:
                request, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
                method, path = request.split(b" ", 2)[:2]
                head = method == b"HEAD"
                if path == b"/links.html":
                    answer = response("200 OK", page_bytes, "text/html", head)
                    self.transport.write(answer)  # type: ignore[attr-defined]
                elif path == b"/robots.txt":
                    answer = response("404 Not Found", b"", "text/plain", head)
                    self.transport.write(answer)  # type: ignore[attr-defined]
                else:
                    answer = response("200 OK", b"", "text/plain", head)
                    asyncio.get_running_loop().call_later(LATENCY, self._send, answer)

        def _send(self, answer: bytes) -> None:
            if not self.transport.is_closing():
                self.transport.write(answer)  # type: ignore[attr-defined]

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for host in [page_host, *HOSTS]:
            await loop.create_server(Host, host, port, backlog=4096)
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def bench_urls(port: int) -> list[str]:
    return [f"http://{HOSTS[i % HOST_COUNT]}:{port}/doc/{i}" for i in range(URL_COUNT)]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_servers(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        raise SystemExit("the local hosts did not start")
    return process


# --- Our checker ------------------------------------------------------------------------------


def run_ours(urls: list[str]) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmapfinder.settings")
    os.environ["LINKCHECK_ALLOW_PRIVATE_NETWORKS"] = "1"  # the hosts are loopback
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    from roadmaps.linkcheck.checker import CheckerConfig, check_urls_sync

    config = CheckerConfig.from_settings()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    outcomes = check_urls_sync(urls, config=config)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    not_ok = [o for o in outcomes if o.result != "ok"]
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": after.ru_maxrss / 1024,
        "not_ok": len(not_ok),
        "example": not_ok[0] if not_ok else None,
        "concurrency": settings.LINKCHECK_CONCURRENCY,
        "per_host": settings.LINKCHECK_PER_HOST_CONCURRENCY,
        "interval": settings.LINKCHECK_PER_HOST_INTERVAL,
    }


# --- Other tools ------------------------------------------------------------------------------


def timed(command: list[str], **kwargs) -> tuple[float | None, str, float]:
    """(wall seconds or None on timeout, output, child CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        **kwargs,
    )
    try:
        output, _ = process.communicate(timeout=TOOL_TIMEOUT)
        wall: float | None = time.perf_counter() - started
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        wall = None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, output or "", cpu


def ensure_linkchecker() -> str | None:
    found = shutil.which("linkchecker")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("   installing linkchecker with apt-get ...", flush=True)
        try:
            subprocess.run(
                ["apt-get", "install", "-y", "-q", "linkchecker"],
                check=False,
                capture_output=True,
                timeout=300,
            )
        except subprocess.TimeoutExpired:
            return None
    return shutil.which("linkchecker")


def ensure_linkinator() -> str | None:
    folder = Path(tempfile.gettempdir()) / "roadmapfinder-bench-linkinator"
    binary = folder / "node_modules" / ".bin" / "linkinator"
    if binary.exists():
        return str(binary)
    if not shutil.which("npm"):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    print(f"   installing linkinator with npm into {folder} ...", flush=True)
    try:
        subprocess.run(
            ["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", "linkinator"],
            check=False,
            capture_output=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return None
    return str(binary) if binary.exists() else None


def run_linkchecker(binary: str, page: str) -> dict:
    # Defaults (10 threads); -r1 checks the links on the page without crawling the hosts, and
    # --check-extern because every link leaves the page's host.
    wall, output, cpu = timed(
        [binary, "--no-status", "--check-extern", "-r", "1", "--timeout", "30", page]
    )
    match = re.search(r"(\d+) links? in (\d+) URLs? checked", output)
    errors = re.search(r"(\d+) errors? found", output)
    return {
        "wall": wall,
        "cpu": cpu,
        "checked": int(match.group(2)) if match else None,
        "errors": int(errors.group(1)) if errors else None,
        "tail": output.strip().splitlines()[-3:],
    }


def run_linkinator(binary: str, page: str) -> dict:
    wall, output, cpu = timed([binary, page, "--format", "csv"])
    rows = [line for line in output.splitlines() if line.startswith("http://127.0.0.")]
    ok = sum(1 for line in rows if ",200," in line)
    return {
        "wall": wall,
        "cpu": cpu,
        "checked": len({line.split(",")[0] for line in rows}),
        "ok": ok,
        "tail": output.strip().splitlines()[-2:],
    }


# --- Report -----------------------------------------------------------------------------------


def compare_tools(ours: dict, ideal: float, page: str) -> None:
    """Run LinkChecker and linkinator on the same page and print the table beside ours."""
    rows = [("roadmapfinder", ours["wall"], ours["cpu"], URL_COUNT - ours["not_ok"])]
    binary = ensure_linkchecker()
    if binary:
        result = run_linkchecker(binary, page)
        rows.append(("LinkChecker", result["wall"], result["cpu"], result["checked"]))
        if result["wall"] is None:
            print(f"\nLinkChecker did not finish within {TOOL_TIMEOUT:.0f} s")
    else:
        print("\nLinkChecker: not installed and could not be installed (apt-get); skipped")
    binary = ensure_linkinator()
    if binary:
        result = run_linkinator(binary, page)
        rows.append(("linkinator", result["wall"], result["cpu"], result["checked"]))
        if result["wall"] is None:
            print(f"\nlinkinator did not finish within {TOOL_TIMEOUT:.0f} s")
    else:
        print("\nlinkinator: npm could not install it; skipped")

    print(f"\n{'tool':<15}{'wall s':>9}{'links/s':>9}{'CPU s':>8}{'checked':>9}"
          f"{'x ideal':>9}{'we are faster by':>18}")  # fmt: skip
    for name, wall, cpu, checked in rows:
        shown = "-" if checked is None else str(checked)
        if wall is None:
            at_least = f"> {TOOL_TIMEOUT / ours['wall']:.1f}x"
            print(f"{name:<15}{'>' + str(int(TOOL_TIMEOUT)):>9}{'-':>9}{cpu:>8.1f}"
                  f"{shown:>9}{'-':>9}{at_least:>18}")  # fmt: skip
            continue
        speedup = "-" if name == "roadmapfinder" else f"{wall / ours['wall']:.1f}x"
        print(f"{name:<15}{wall:>9.2f}{URL_COUNT / wall:>9.0f}{cpu:>8.1f}"
              f"{shown:>9}{ideal / wall:>9.2f}{speedup:>18}")  # fmt: skip
    print("(x ideal: each tool against the same ideal, our concurrency's)")


def main() -> None:
    def out_of_time(signum: int, frame: object) -> None:
        raise TimeoutError("the benchmark ran out of time")

    # The whole benchmark is bounded; raising (not dying) lets `finally` stop the servers.
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(TOOL_TIMEOUT * 3 + 300))
    port = free_port()
    servers = start_servers(port)
    try:
        urls = bench_urls(port)
        page = f"http://127.0.0.1:{port}/links.html"
        print(f"{URL_COUNT} URLs on {HOST_COUNT} local hosts, each answering after "
              f"{LATENCY * 1000:.0f} ms; {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f} (other work on the machine slows every tool)")  # fmt: skip
        ours = run_ours(urls)
        ideal = URL_COUNT * LATENCY / ours["concurrency"]
        ratio = ideal / ours["wall"]
        print(
            f"\nroadmapfinder  concurrency {ours['concurrency']}, {ours['per_host']} per host, "
            f"{ours['interval'] * 1000:.0f} ms between requests to a host"
        )
        print(f"  wall time        {ours['wall']:.2f} s")
        print(f"  links per second {URL_COUNT / ours['wall']:.0f}")
        print(f"  CPU seconds      {ours['cpu']:.2f}")
        print(f"  peak memory      {ours['peak_mb']:.0f} MB (whole process, Django included)")
        formula = f"{URL_COUNT} x {LATENCY} s / {ours['concurrency']}"
        verdict = "met" if ratio >= 0.8 else "NOT met"
        print(f"  ideal            {ideal:.2f} s = {formula}")
        print(f"  ratio to ideal   {ratio:.2f}  (goal >= 0.80: {verdict})")
        if ours["not_ok"]:
            print(f"  WARNING: {ours['not_ok']} URL(s) not ok, e.g. {ours['example']}")

        compare_tools(ours, ideal, page)
    finally:
        os.killpg(servers.pid, signal.SIGKILL)
        servers.wait(10)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), "127.0.0.1")
    else:
        main()
