"""PostgreSQL connections killed or refused (issue 13): no traceback pages, a 503 "try again"
during the outage (HTML, or JSON under /api/), and the next request after it succeeds on the same
worker without a restart (CONN_HEALTH_CHECKS on persistent connections).

Service tier: PostgreSQL (DATABASE_URL). The app runs behind a real single-threaded WSGI server so
that Django's per-request connection handling runs as in production.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from roadmapfinder.tests.servers import http_get, wsgi_server

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def admin_connection() -> psycopg.Connection:
    """A connection to the maintenance database, outside Django, to act on the test database."""
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def terminate_other_backends() -> int:
    """pg_terminate_backend every connection to the test database but the test's own."""
    with admin_connection() as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"], _own_pid()],
        ).fetchone()[0]


def _own_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@contextmanager
def database_refusing_connections() -> Iterator[None]:
    """The test database refuses new connections and loses the open ones (but the test's)."""
    name = connection.settings_dict["NAME"]
    with admin_connection() as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        terminate_other_backends()
        yield
    finally:
        with admin_connection() as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@pytest.fixture
def site(require_postgres, flask_roadmap) -> Iterator[str]:
    with wsgi_server() as url:
        yield url


def test_a_killed_connection_is_replaced_before_the_next_request(site):
    assert http_get(site + "/roadmaps/flask/")[0] == 200
    assert http_get(site + "/api/v1/roadmaps/flask")[0] == 200
    assert terminate_other_backends() >= 1, "the server kept its connection between requests"
    # The same worker thread, its persistent connection dead: checked, replaced, answered.
    assert http_get(site + "/roadmaps/flask/")[0] == 200
    assert terminate_other_backends() >= 1
    assert http_get(site + "/api/v1/roadmaps/flask")[0] == 200


def test_during_an_outage_pages_say_try_again_and_the_api_answers_json_503(site):
    assert http_get(site + "/")[0] == 200
    with database_refusing_connections():
        status, headers, body = http_get(site + "/")
        assert status == 503
        assert headers["Retry-After"] == "10"
        assert b"try again" in body
        assert b"Traceback" not in body

        status, headers, body = http_get(site + "/api/v1/roadmaps/flask")
        assert status == 503
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body) == {
            "detail": "The service is briefly unavailable: try again in a few seconds."
        }

        status, _, body = http_get(site + "/api/v1/health")
        assert status == 503
        assert json.loads(body)["checks"]["database"] == "unavailable"
    # Back: the next requests succeed on the same worker, nothing restarted.
    assert http_get(site + "/")[0] == 200
    status, _, body = http_get(site + "/api/v1/health")
    assert (status, json.loads(body)["status"]) == (200, "ok")
