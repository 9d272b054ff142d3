"""The Celery app. Broker and behaviour come from settings (CELERY_*), i.e. from REDIS_URL.

Without REDIS_URL tasks run eagerly in-process (the embedded default).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmapfinder.settings")

app = Celery("roadmapfinder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
