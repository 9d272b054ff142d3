"""Read-path benchmark: the site's answers next to the same bytes served as static files.

Starts the production web server (`python -m roadmapfinder.serve`, what `make serve` and the
container run, DEBUG off)
against DATABASE_URL (PostgreSQL) and REDIS_URL, after migrating and importing content/. Seeds a
learner with progress, a session and an API token, then fetches every request's answer once and
writes those exact bytes (plain and gzip) as static files served by the same server (whitenoise),
so each answer is compared with its own bytes from disk (a 304 also with the file's own 304),
measured just before and just after it. Load comes from wrk (8 connections, 2 threads). Prints:
request, req/s, p50, p99, errors, bytes on the wire, ratio to static.

BENCH_SCENARIOS picks scenarios by number (e.g. "1" for 173 items only, "1,2"; default all three).

Throttling would cap the figures: the run raises API_THROTTLE_*_RATE through the environment
(and says so). Bounded in time: BENCH_SECONDS per request (default 5) and BENCH_TIMEOUT overall.
Without PostgreSQL, Redis or wrk it says what is missing and stops.
"""

from __future__ import annotations

import sys

# This file is named like the standard library's `http`: run as a script, its folder comes first
# on sys.path and would shadow it. Drop the folder before anything imports http.client.
sys.path[:] = [entry for entry in sys.path if not entry.rstrip("/").endswith("/bench")]

import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "900"))
CONNECTIONS = 8
WORKERS = os.environ.get("BENCH_WORKERS", "2")
BENCH_ENV = {
    "SECRET_KEY": "bench-only-not-secret",
    "DEBUG": "0",
    "TESTING": "0",
    "SECURE_COOKIES": "0",
    "API_THROTTLE_ANON_RATE": "100000000/min",
    "API_THROTTLE_USER_RATE": "100000000/min",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
GZIP = {"Accept-Encoding": "gzip"}
# BENCH_SERVER compares servers side by side; the default is what production runs
# (roadmapfinder.serve, as `make serve` starts it).
SERVERS = {
    "granian": [".venv/bin/python", "-m", "roadmapfinder.serve"],
    "gunicorn-sync": [".venv/bin/gunicorn", "roadmapfinder.wsgi:application", "-w", WORKERS],
    "gunicorn-gthread": [
        ".venv/bin/gunicorn", "roadmapfinder.wsgi:application", "-w", WORKERS,
        "-k", "gthread", "--threads", "4",
    ],
}  # fmt: skip
SERVER = os.environ.get("BENCH_SERVER", "granian")


def services_missing() -> str:
    database = os.environ.get("DATABASE_URL", "")
    redis = os.environ.get("REDIS_URL", "")
    if not database.startswith("postgres"):
        return "DATABASE_URL (PostgreSQL) is not set"
    if not redis:
        return "REDIS_URL is not set"
    for url, default in ((database, 5432), (redis, 6379)):
        match = re.match(r"\w+://(?:[^@/]*@)?([^:/]+)(?::(\d+))?", url)
        host, port = (match.group(1), int(match.group(2) or default)) if match else ("", 0)
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError:
            return f"nothing answers at {host}:{port} ({url.split('://')[0]})"
    if not shutil.which("wrk"):
        return "wrk is not installed: apt-get install wrk"
    return database_refused(database)


def database_refused(url: str) -> str:
    """Why PostgreSQL will not let us in (no such database, a wrong role), or ""."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[-1]
        return f"PostgreSQL refuses {url.rsplit('/', 1)[-1]!r} ({reason}); create it with createdb"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_django() -> None:
    os.environ.update(BENCH_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmapfinder.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare() -> dict[str, str]:
    """Migrate, import, seed the learner; returns the cookie, token and a phase of Flask."""
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from accounts.services import api_token_create

    call_command("migrate", "--no-input", verbosity=0)
    call_command("import_roadmaps", str(ROOT / "content"), verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command(
        "shell", "-c", "from django.db import connection\nconnection.cursor().execute('ANALYZE')"
    )
    user, _ = User.objects.get_or_create(
        email="bench-learner@example.com", defaults={"username": "bench-learner"}
    )
    seed_progress(user, "flask")
    user.api_tokens.all().delete()
    _, token = api_token_create(user=user, name="bench")
    client = Client()
    client.force_login(user)
    return {"session": client.cookies["sessionid"].value, "token": token}


def seed_progress(user: object, slug: str) -> None:
    """Half of the roadmap's items done."""
    from progress.services import progress_set_many
    from roadmaps.models import Roadmap

    roadmap = Roadmap.objects.get(slug=slug)
    keys = list(roadmap.topics.filter(retired_at__isnull=True).values_list("key", flat=True))
    progress_set_many(
        user=user, roadmap=roadmap, statuses=dict.fromkeys(keys[: len(keys) // 2], "done")
    )


def generate(scenario: str) -> None:
    """The bigger scenarios, built with bulk inserts (roadmaps.tests.factories); their slugs
    start with "bench-" and are deleted at the end of the run."""
    from accounts.models import User
    from roadmaps.models import Roadmap
    from roadmaps.tests.factories import roadmap_generate

    if scenario == "big" and not Roadmap.objects.filter(slug="bench-2000").exists():
        roadmap_generate(slug="bench-2000", phases=17, sections=50, topics=2000)
        seed_progress(User.objects.get(email="bench-learner@example.com"), "bench-2000")
    if scenario == "many":
        for index in range(100):
            if not Roadmap.objects.filter(slug=f"bench-many-{index}").exists():
                roadmap_generate(slug=f"bench-many-{index}", phases=5, sections=6, topics=150)
    from django.core.management import call_command

    call_command(
        "shell", "-c", "from django.db import connection\nconnection.cursor().execute('ANALYZE')"
    )


def requests_of(seed: dict[str, str], slug: str = "flask") -> list[tuple[str, str, dict[str, str]]]:
    cookie = {"Cookie": f"sessionid={seed['session']}"}
    bearer = {"Authorization": f"Bearer {seed['token']}"}
    return [
        (f"GET /api/v1/roadmaps/{slug}", f"/api/v1/roadmaps/{slug}", {}),
        ("  same, If-None-Match (304)", f"/api/v1/roadmaps/{slug}", {"If-None-Match": "?"}),
        (f"/roadmaps/{slug}/ anonymous", f"/roadmaps/{slug}/", {}),
        ("  same, If-None-Match (304)", f"/roadmaps/{slug}/", {"If-None-Match": "?"}),
        (f"/roadmaps/{slug}/ signed in, progress", f"/roadmaps/{slug}/", cookie),
        ("  same, If-None-Match (304)", f"/roadmaps/{slug}/", {**cookie, "If-None-Match": "?"}),
        (f"/api/v1/me/progress/{slug} (token)", f"/api/v1/me/progress/{slug}", bearer),
        ("/ catalog", "/", {}),
        ("/search/?q=jwt", "/search/?q=jwt", {}),
    ]


SCENARIOS = [
    ("173 items (content/flask.yaml)", "", "flask"),
    ("2,000 items in one roadmap", "big", "bench-2000"),
    ("100 generated roadmaps, 15,000 more items (Flask's page)", "many", "flask"),
]
PICKED = os.environ.get("BENCH_SCENARIOS", "1,2,3")
SCENARIOS = [s for n, s in enumerate(SCENARIOS, 1) if str(n) in PICKED.replace(" ", "").split(",")]


def fetch(base: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(base + path, headers={**GZIP, **headers})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            headers = {name.lower(): value for name, value in response.headers.items()}
            headers["set-cookie"] = "; ".join(response.headers.get_all("Set-Cookie") or [])
            return response.status, headers, response.read()
    except urllib.error.HTTPError as error:
        headers = {name.lower(): value for name, value in error.headers.items()}
        return error.code, headers, error.read()


def wrk(url: str, headers: dict[str, str], seconds: int = SECONDS) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for name, value in {**GZIP, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=False
    ).stdout

    def millis(label: str) -> float:
        match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output)
        if not match:
            return float("nan")
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "p50": millis("50%"),
        "p99": millis("99%"),
        "errors": errors,
    }


def write_static(name: str, body: bytes, encoding: str) -> str:
    """The answer's bytes as static files (plain and .gz), served by whitenoise like ours."""
    from django.conf import settings

    plain = gzip.decompress(body) if encoding == "gzip" else body
    folder = Path(settings.STATIC_ROOT) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(plain)
    (folder / f"{name}.gz").write_bytes(gzip.compress(plain, 9))
    return f"/static/bench/{name}"


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, **BENCH_ENV, "WEB_HOST": "127.0.0.1", "WEB_PORT": str(port)}
    env.update({"WEB_WORKERS": WORKERS, "PATH": f"{ROOT / '.venv' / 'bin'}:{env['PATH']}"})
    command = [*SERVERS[SERVER]]
    if SERVER.startswith("gunicorn"):
        command += ["-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("The server did not start within 30 s.")


def row(label: str, stats: dict[str, float], size: int, ratio: str) -> str:
    return (
        f"| {label} | {stats['rps']:,.0f} | {stats['p50']:.1f} ms | {stats['p99']:.1f} ms | "
        f"{stats['errors']:.0f} | {size:,} | {ratio} |"
    )


def collect(
    seed: dict[str, str], base: str, slug: str, scenario: str
) -> list[tuple[str, str, dict[str, str], str, dict[str, str], int]]:
    """Each request's answer once (also the first render of every stored answer), its bytes
    written as static files: (label, path, headers, static path, the static file's headers,
    bytes on the wire). A 304 row's static twin is the file before it, revalidated with its
    own ETag: whitenoise's 304 for the same client question."""
    answers = []
    static_path = ""
    for index, (label, path, headers) in enumerate(requests_of(seed, slug)):
        static_headers: dict[str, str] = {}
        if headers.get("If-None-Match") == "?":
            # Revalidate what this client was given, with the CSRF cookie it was given (a
            # page's ETag names the secret its token belongs to).
            headers = {name: value for name, value in headers.items() if name != "If-None-Match"}
            _, first, _ = fetch(base, path, headers)
            headers["If-None-Match"] = first.get("etag", '"none"')
            csrf = re.search(r"csrftoken=([^;]+)", first.get("set-cookie", ""))
            if csrf:
                cookies = [headers["Cookie"]] if "Cookie" in headers else []
                headers["Cookie"] = "; ".join([*cookies, f"csrftoken={csrf.group(1)}"])
            static_headers = {"If-None-Match": "?"}  # the file's ETag, once it is served
        status, answer, body = fetch(base, path, headers)
        encoding = answer.get("content-encoding", "")
        if status == 200:
            static_path = write_static(f"{scenario or 'flask'}-{index}.bin", body, encoding)
        shown = f"{label} [{status}{', ' + encoding if encoding else ''}]"
        answers.append((shown, path, headers, static_path, static_headers, len(body)))
    return answers


def measure(answers: list, base: str) -> list[str]:
    """wrk on the static twin, the request, and the static twin again: the ratio is against
    the mean of the two static runs, so a machine that drifts during a row (another process,
    PostgreSQL's autovacuum after the data was generated) moves both sides alike. A 304 row is
    measured against the same bytes as a static file (200), as the issue defines it, and also
    against whitenoise's own 304 for that file, shown beside it."""
    lines = [
        "| request | req/s | p50 | p99 | errors | bytes on the wire | ratio to static |",
        "|---|---|---|---|---|---|---|",
    ]
    anchor: dict[str, float] = {}
    for label, path, headers, static_path, static_headers, size in answers:
        if static_headers:
            _, static_answer, _ = fetch(base, static_path, {})
            static_headers = {"If-None-Match": static_answer.get("etag", '"none"')}
        wrk(base + path, headers, seconds=1)  # every worker's first render is not timed
        before = wrk(base + static_path, static_headers)
        stats = wrk(base + path, headers)
        after = wrk(base + static_path, static_headers)
        static = {key: (before[key] + after[key]) / 2 for key in ("rps", "p50", "p99")} | {
            "errors": before["errors"] + after["errors"]
        }
        if static_headers:
            lines.append(row("static file, If-None-Match (304)", static, 0, "-"))
            of_304 = stats["rps"] / static["rps"]
            ratio = f"{stats['rps'] / anchor['rps']:.3f} ({of_304:.2f} of its 304)"
        else:
            anchor = static
            lines.append(row("static file, same bytes", static, size, "1"))
            ratio = f"{stats['rps'] / static['rps']:.3f}"
        print(lines[-1], flush=True)
        lines.append(row(label, stats, size, ratio))
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    def out_of_time(signum: int, frame: object) -> None:
        raise SystemExit(f"The benchmark went over BENCH_TIMEOUT ({TIMEOUT} s) and stopped.")

    missing = services_missing()
    if missing:
        print(f"Skipped: {missing}. Set DATABASE_URL=postgres://... and REDIS_URL=redis://...")
        return
    signal.signal(signal.SIGALRM, out_of_time)

    def stopped(signum: int, frame: object) -> None:
        # The server runs in a session of its own (so it can be stopped as a group): stopping
        # the bench must stop it too, or it goes on serving and skews the next measurement.
        raise SystemExit(f"The benchmark was stopped (signal {signum}).")

    signal.signal(signal.SIGTERM, stopped)
    signal.signal(signal.SIGHUP, stopped)
    signal.alarm(TIMEOUT)
    print(
        "Throttling raised for this run only: API_THROTTLE_ANON_RATE and API_THROTTLE_USER_RATE"
        " = 100000000/min (environment)."
    )
    setup_django()
    seed = prepare()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tables = []
    try:
        for title, scenario, slug in SCENARIOS:
            started = time.monotonic()
            generate(scenario)
            print(f"== {title} (data ready in {time.monotonic() - started:.1f} s)", flush=True)
            server = start_server(port)
            try:
                answers = collect(seed, base, slug, scenario)
            finally:
                stop(server)
            # whitenoise lists static files when it starts: start again with the bench's copies.
            server = start_server(port)
            try:
                tables.append(f"\n{title}\n\n" + "\n".join(measure(answers, base)))
            finally:
                stop(server)
    finally:
        from roadmaps.models import Roadmap

        Roadmap.objects.filter(slug__startswith="bench-").delete()
    print(
        f"\nMachine: {os.cpu_count()} CPUs; server: {SERVER} with {WORKERS} workers; "
        f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s with Accept-Encoding: gzip; each ratio is to "
        "the mean of its static twin run just before and just after it; a 304 row's ratio is to "
        "the same bytes as a static file, and in brackets to whitenoise's 304 for that file.\n"
    )
    print("\n".join(tables))


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
