"""The secret key: the README's commands work on the embedded default as written, production
still refuses to start without SECRET_KEY."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from roadmapfinder.env import embedded_secret_key
from roadmapfinder.settings import BASE_DIR


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "TESTING", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_embedded_default_commands_run_without_debug():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_a_deployment_with_a_database_url_still_needs_a_secret_key():
    result = manage("check", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DATABASE_URL is set" in result.stderr


def test_embedded_key_is_random_private_and_stable(tmp_path: Path):
    first = embedded_secret_key(tmp_path / "var" / "secret_key")
    assert len(first) >= 50
    assert embedded_secret_key(tmp_path / "var" / "secret_key") == first
    assert embedded_secret_key(tmp_path / "other" / "secret_key") != first
    mode = stat.S_IMODE((tmp_path / "var" / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_a_damaged_key_file_is_refused(tmp_path: Path):
    (tmp_path / "secret_key").write_text("short")
    with pytest.raises(ImproperlyConfigured, match="delete it"):
        embedded_secret_key(tmp_path / "secret_key")


def run_command_settings(*make_args: str, **env: str) -> str:
    """SITE_URL as `make run <make_args>` would give it to Django: the Makefile's runserver line,
    run through the shell with `runserver` swapped for a command that prints the setting."""
    plan = subprocess.run(
        ["make", "-n", "run", *make_args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    (line,) = [line for line in plan.splitlines() if "manage.py runserver" in line]
    line = line.replace("DEBUG=1 ", "").split(" manage.py runserver")[0]
    script = "from django.conf import settings; print(settings.SITE_URL)"
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DEBUG", "TESTING"}}
    result = subprocess.run(
        ["bash", "-c", f"{line} manage.py shell -c '{script}'"],
        cwd=BASE_DIR,
        env={**clean, **env, "TESTING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_on_another_port_builds_links_on_that_port():
    assert run_command_settings("PORT=8080") == "http://127.0.0.1:8080"
    assert run_command_settings("HOST=0.0.0.0", "PORT=9000") == "http://0.0.0.0:9000"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_keeps_a_site_url_from_the_environment():
    assert run_command_settings("PORT=8080", SITE_URL="https://roadmaps.example") == (
        "https://roadmaps.example"
    )
