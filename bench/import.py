"""Content import benchmark: 104 generated roadmaps of the real corpus's shape (1,000 phases,
~3,750 sections, ~15,000 items, ~2,100 resources, ~950 FAQs), on SQLite and, when DATABASE_URL
points at a reachable PostgreSQL, on PostgreSQL too (in a scratch database it drops after).

For each database, in a fresh process: the first import, `loaddata` of the same rows (dumped
after the import, loaded into emptied tables), a re-import with nothing changed, a re-import with
one item changed, and the process's peak memory. Targets (issue 14): first import <= 1.0x
loaddata; unchanged <= 0.05x; one item changed <= 0.1x; peak <= 150 MB.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROADMAPS = int(os.environ.get("BENCH_ROADMAPS", "104"))
TARGETS = {"first": 1.0, "unchanged": 0.05, "one item": 0.1}
PEAK_MB = 150
MODELS = ["roadmaps.roadmap", "roadmaps.phase", "roadmaps.section", "roadmaps.topic"]
MODELS += ["roadmaps.resource", "roadmaps.faq"]


# --- The corpus --------------------------------------------------------------------------------


def _resource(name: str, index: int) -> list[str]:
    return [
        "  - kind: article",
        f"    title: Reading {index} for {name}",
        f"    url: https://docs.example.org/{name}/{index}",
    ]


def corpus_file(number: int) -> str:
    """One roadmap: 10 or 9 phases, 3-4 sections each, 4 items a section, ~20 resources,
    9 FAQs; every text unique, as in real roadmaps."""
    slug = f"roadmap-{number:03d}"
    lines = [f"slug: {slug}", f"title: Roadmap {number}", "status: published"]
    lines += ["category: Backend", "summary: A generated roadmap.", "resources:"]
    lines += _resource(slug, 0)[0:0] + [line for i in (1, 2) for line in _resource(slug, i)]
    lines.append("phases:")
    resources = 3
    for phase in range(10 if number < 64 else 9):
        lines += [f"  - title: Phase {phase} of {slug}", "    level: beginner", "    months: 0-1"]
        lines += ["    resources:"] + ["  " + line for line in _resource(slug, resources)]
        lines.append("    sections:")
        resources += 1
        for section in range(3 if phase % 4 == 3 else 4):
            lines += [f"      - title: Section {phase}.{section}", "        topics:"]
            for item in range(4):
                key = f"item-{phase}-{section}-{item}"
                lines += [
                    f"          - key: {key}",
                    f"            title: Item {phase}.{section}.{item} of {slug}",
                    f"            summary: What item {key} teaches, in a sentence of some length",
                ]
                if item == 0 and section == 0 and resources < 21:
                    lines.append("            resources:")
                    lines += ["      " + " " * 6 + line for line in _resource(slug, resources)]
                    resources += 1
    lines.append("faqs:")
    for faq in range(9):
        lines += [f"  - question: Question {faq} about {slug}?", f"    answer: Answer {faq}."]
    return "\n".join(lines) + "\n"


def write_corpus(directory: Path) -> None:
    for number in range(ROADMAPS):
        (directory / f"roadmap-{number:03d}.yaml").write_text(corpus_file(number))


# --- One database (child process) --------------------------------------------------------------


def _timed(action) -> str:
    """ "wall,cpu" seconds: on a shared machine the CPU time of this process is the steadier
    figure (on PostgreSQL it leaves out the server's share)."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return f"{time.perf_counter() - wall:.3f},{time.process_time() - cpu:.3f}"


def run_one() -> None:
    """Runs in a child whose DATABASE_URL is the database under test (already empty)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmapfinder.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from roadmaps.content import roadmap_import_files
    from roadmaps.models import Roadmap, Topic

    call_command("migrate", verbosity=0, interactive=False)
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "content"
        corpus.mkdir()
        write_corpus(corpus)
        first = _timed(lambda: roadmap_import_files([corpus]))
        counts = {
            "items": Topic.objects.count(),
            "roadmaps": Roadmap.objects.count(),
        }
        unchanged = _timed(lambda: roadmap_import_files([corpus]))
        path = corpus / "roadmap-050.yaml"
        path.write_text(
            path.read_text().replace("title: Item 3.1.2 of", "title: Item 3.1.2 (new) of")
        )
        one_item = _timed(lambda: roadmap_import_files([corpus]))
        path.write_text(path.read_text().replace("Item 3.1.2 (new) of", "Item 3.1.2 of"))
        # What a one-item import costs once unchanged files are skipped before parsing.
        alone = _timed(lambda: roadmap_import_files([path]))
        dump = Path(scratch) / "rows.json"
        call_command("dumpdata", *MODELS, output=str(dump), verbosity=0)
        Roadmap.objects.all().delete()
        loaddata = _timed(lambda: call_command("loaddata", str(dump), verbosity=0))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = "|".join((first, loaddata, unchanged, one_item, alone))
    print(f"{connection.vendor}|{figures}|{peak}|{counts}")


# --- Driver ------------------------------------------------------------------------------------


def _child(database_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "TESTING": "1"}
    done = subprocess.run(
        [sys.executable, "-P", __file__, "--one"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return done.stdout.strip().splitlines()[-1]


def _postgres_scratch() -> tuple[str, object] | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("PostgreSQL: skipped (DATABASE_URL is not set to a PostgreSQL database)")
        return None
    try:
        import psycopg

        # The server's maintenance database: the one DATABASE_URL names need not exist yet.
        admin = psycopg.connect(
            url.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=5
        )
    except Exception as error:
        print(f"PostgreSQL: skipped ({url.split('@')[-1]} is not reachable: {error})")
        return None
    name = f"{url.rsplit('/', 1)[-1]}_bench_import"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name, (admin, name)


def _print(line: str) -> None:
    vendor, *numbers, peak, counts = line.split("|")
    first, loaddata, unchanged, one_item, alone = (tuple(map(float, n.split(","))) for n in numbers)
    print(f"\n{vendor}: {counts}")
    print(f"  {'':<34}{'wall':>8}{'ratio':>8}{'cpu':>9}{'ratio':>8}")
    print(f"  {'loaddata of the same rows':<34}{loaddata[0]:7.2f}s{'':>8}{loaddata[1]:8.2f}s")
    rows = (
        ("first import", first, "first"),
        ("re-import, nothing changed", unchanged, "unchanged"),
        ("re-import, one item changed", one_item, "one item"),
        ("  the changed file alone", alone, "one item"),
    )
    for label, (wall, cpu), target in rows:
        ratio, cpu_ratio = wall / loaddata[0], cpu / loaddata[1]
        verdict = "met" if ratio <= TARGETS[target] else "NOT met"
        print(f"  {label:<34}{wall:7.2f}s{ratio:7.2f}x{cpu:8.2f}s{cpu_ratio:7.2f}x  "
              f"(target <= {TARGETS[target]}x: {verdict})")  # fmt: skip
    peak_mb = float(peak)
    verdict = "met" if peak_mb <= PEAK_MB else "NOT met"
    print(f"  peak memory {peak_mb:.0f} MB (whole process, Django included; "
          f"target <= {PEAK_MB}: {verdict})")  # fmt: skip


def main() -> None:
    print(f"{ROADMAPS} generated roadmaps; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        _print(_child(f"sqlite:///{scratch}/bench.sqlite3"))
    postgres = _postgres_scratch()
    if postgres is not None:
        url, (admin, name) = postgres
        try:
            _print(_child(url))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if sys.argv[1:] == ["--one"]:
        run_one()
    else:
        main()
