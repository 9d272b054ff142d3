"""The last-resort handler (roadmapfinder/errors.py): a database outage is a 503 "try again",
anything else stays a 500. The real outage is in test_database_down.py (PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from roadmapfinder.errors import server_error_view


def answer_while_handling(error: Exception, path: str):
    request = RequestFactory().get(path)
    try:
        raise error
    except Exception:
        return server_error_view(request)


@pytest.mark.parametrize("error", [OperationalError("refused"), InterfaceError("closed")])
def test_database_errors_ask_to_try_again(error):
    page = answer_while_handling(error, "/roadmaps/flask/")
    assert page.status_code == 503
    assert page["Retry-After"] == "10"
    assert b"try again" in page.content
    api = answer_while_handling(error, "/api/v1/roadmaps")
    assert api.status_code == 503
    assert json.loads(api.content) == {
        "detail": "The service is briefly unavailable: try again in a few seconds."
    }


def test_a_database_error_wrapped_in_another_still_counts():
    try:
        raise OperationalError("server closed the connection")
    except OperationalError as cause:
        wrapped = RuntimeError("while rendering")
        wrapped.__cause__ = cause
    assert answer_while_handling(wrapped, "/").status_code == 503


def test_other_crashes_keep_the_500_page():
    page = answer_while_handling(RuntimeError("bug"), "/")
    assert page.status_code == 500
    assert b"Something went wrong" in page.content
