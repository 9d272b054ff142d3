"""Expired sessions are removed on a schedule (accounts.tasks.sessions_clear_expired)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from accounts.tasks import sessions_clear_expired

pytestmark = pytest.mark.django_db


def make_session(key: str, expires_in: timedelta) -> None:
    Session.objects.create(
        session_key=key, session_data="e30:1", expire_date=timezone.now() + expires_in
    )


def test_the_task_removes_expired_sessions_only():
    make_session("expired" + "x" * 25, timedelta(seconds=-1))
    make_session("live" + "x" * 28, timedelta(days=1))
    sessions_clear_expired.apply()  # run here, whatever the broker
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live" + "x" * 28]


def test_beat_runs_it_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["sessions-clear-expired"]
    assert entry == {"task": "accounts.tasks.sessions_clear_expired", "schedule": 86400.0}
    from roadmapfinder.celery import app

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_command_for_the_embedded_default_does_the_same():
    make_session("expired" + "y" * 25, timedelta(seconds=-1))
    call_command("clearsessions")
    assert not Session.objects.exists()
