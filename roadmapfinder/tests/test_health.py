"""The health endpoint (roadmapfinder/health.py) on the embedded default: every check answers,
and there is no broker. Outages are tested in test_redis_down.py and test_database_down.py."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_embedded_default_is_healthy_without_a_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "not used"},
    }
