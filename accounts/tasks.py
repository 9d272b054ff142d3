"""Celery tasks of the accounts app: thin wrappers around accounts.services."""

from __future__ import annotations

from celery import shared_task

from accounts import services


@shared_task(name="accounts.tasks.sessions_clear_expired", time_limit=600, soft_time_limit=540)
def sessions_clear_expired() -> None:
    """Beat, daily: remove expired sessions (the embedded default: `manage.py clearsessions`)."""
    services.sessions_clear_expired()
