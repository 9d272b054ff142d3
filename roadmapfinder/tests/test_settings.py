"""The secret key: the README's commands work on the embedded default as written, production
still refuses to start without SECRET_KEY."""

from __future__ import annotations

import os
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
