"""Fixtures shared by every app's tests: people (a learner, an editor), content (the bundled Flask
roadmap, a generated roadmap of any size), and the service/browser tier switches."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLASK_CONTENT = Path(__file__).parent / "content" / "flask.yaml"


def _missing(reason: str, required: bool) -> None:
    if required:
        pytest.fail(f"{reason}, and this run requires it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def require_postgres() -> None:
    """Service tier: PostgreSQL must be the database (DATABASE_URL=postgres://...)."""
    if not settings.USING_POSTGRES:
        _missing("PostgreSQL is not configured (set DATABASE_URL=postgres://...)", REQUIRE_SERVICES)


@pytest.fixture
def redis_url() -> str:
    """Service tier: a reachable Redis (REDIS_URL)."""
    url = settings.REDIS_URL
    if not url:
        _missing("Redis is not configured (set REDIS_URL=redis://...)", REQUIRE_SERVICES)
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        _missing(f"Redis at {url} does not answer: {error}", REQUIRE_SERVICES)
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Browser tier: the system Chromium (never a downloaded browser)."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM}", REQUIRE_BROWSER)
    return CHROMIUM


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from django.core.cache import cache

    from common.stored import stores_clear

    cache.clear()
    # Stored pages, outlines, the throttle's leases are per process; each test starts without.
    stores_clear()


@pytest.fixture
def learner(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="ada", email="ada@example.com")


@pytest.fixture
def editor(db):
    from accounts.tests.factories import EditorFactory

    return EditorFactory(username="grace", email="grace@example.com")


@pytest.fixture
def flask_roadmap(db):
    from roadmaps.content import roadmap_import_files
    from roadmaps.models import Roadmap

    roadmap_import_files([FLASK_CONTENT])
    return Roadmap.objects.get(slug="flask")


@pytest.fixture
def make_roadmap(db):
    """Build a published roadmap of a given size: make_roadmap(phases=10, sections=4, topics=50)."""
    from roadmaps.tests.factories import roadmap_generate

    return roadmap_generate


# --- Browser tier ---------------------------------------------------------------------------
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).parent / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    """pytest-playwright launches the system Chromium, headless, with no background traffic."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


# --- Browser tier runs last (public site area) ------------------------------------------------
# pytest-playwright's sync API keeps an event loop running in the main thread for the rest of
# the session once a browser test starts, after which asyncio.run() (the link checker's tests)
# fails with "cannot be called from a running event loop". Running the browser tier after
# everything else keeps the tiers independent; relative order is otherwise unchanged.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
