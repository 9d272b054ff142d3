"""Production logs (roadmapfinder/request_log.py): one JSON line per request with a request id,
method, path, status and duration; every line logged while serving a request, errors included,
carries that request's id."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client

from roadmapfinder.request_log import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production handler (JSON lines, request ids) on the root logger, into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    request_logger = logging.getLogger("roadmapfinder.request")
    level = request_logger.level
    request_logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        request_logger.setLevel(level)


def test_one_json_line_per_request_with_its_id(client, json_log):
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="proxy-id-0001")
    assert response["X-Request-ID"] == "proxy-id-0001"
    other = client.get("/no-such-page/")
    lines = [line for line in json_log() if line["logger"] == "roadmapfinder.request"]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/api/v1/health", 200),
        ("GET", "/no-such-page/", 404),
    ]
    assert lines[0]["request_id"] == "proxy-id-0001"
    # No usable id from outside: a fresh one, sent back to the client.
    assert lines[1]["request_id"] == other["X-Request-ID"]
    assert len(other["X-Request-ID"]) == 32
    assert all(isinstance(line["duration_ms"], float) for line in lines)
    assert {"time", "level", "message"} <= set(lines[0])


def test_an_unusable_incoming_id_is_replaced(client, json_log):
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_an_error_carries_the_request_id(settings, json_log):
    settings.ROOT_URLCONF = "roadmapfinder.tests.crash_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/crash/", HTTP_X_REQUEST_ID="crash-id-0042")
    assert response.status_code == 500
    errors = [line for line in json_log() if line["level"] == "ERROR"]
    assert errors, json_log()
    assert all(line["request_id"] == "crash-id-0042" for line in errors)
    assert any("RuntimeError: the view broke" in line.get("exception", "") for line in errors)
