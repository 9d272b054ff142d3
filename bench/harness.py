"""What the in-process benches share: Django on a throw-away test database, and medians.

Each bench measures its own thing (`measure(connection)`) against an anchor from the same run;
this module only sets the stage the same way for all of them. Run the benches with `python -P`
(as `make bench` does): this folder's http.py would otherwise shadow the standard library's.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def on_a_test_database(measure: Callable[[Any], None], *, instrumented: bool = True) -> None:
    """Set Django up, make a test database (SQLite, or PostgreSQL when DATABASE_URL points at
    one), run `measure(connection)` and drop the database. `instrumented` turns on Django's
    test environment (the test client's template signals); benches that time template
    rendering leave it off, as production renders without it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmapfinder.settings")
    os.environ.setdefault("TESTING", "1")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if instrumented:
        from django.test.utils import setup_test_environment

        setup_test_environment()
    else:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    database = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure(connection)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


def median_times(action: Callable[[], object], rounds: int, *, warm: bool = False) -> Any:
    """(median wall seconds, median CPU seconds of this process) of `action` over `rounds`
    runs, after one unmeasured run when `warm`. CPU time leaves out the database's share and
    is steadier than wall time on a machine shared with other work."""
    if warm:
        action()
    walls, cpus = [], []
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)
