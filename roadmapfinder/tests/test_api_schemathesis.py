"""Property-based run over the whole published OpenAPI schema, in-process (WSGI), with a valid
token: generated requests, valid and invalid, must never produce a server error, and every
answer must match what the schema documents (status code, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create


@pytest.fixture
def keep_db_connection():
    """Django closes "old" connections when a request ends; inside a test's transaction that
    closes the test's own connection (PostgreSQL). Django's test client switches this off for
    its requests; schemathesis calls the WSGI app directly, so do the same here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, settings, keep_db_connection):
    # Many requests from one address in one test: throttling is tested on its own elsewhere.
    settings.API_THROTTLE_ANON_RATE = "100000/min"
    settings.API_THROTTLE_USER_RATE = "100000/min"
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def bearer(learner) -> dict[str, str]:
    _, raw = api_token_create(user=learner, name="schemathesis")
    # The WSGI transport asks for gzip but does not decode it: ask for plain bodies (gzip and
    # plain are the same document, roadmaps/tests/test_stored.py).
    return {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def exercise(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    # schemathesis' pytest integration (from_fixture) does not run on pytest 9, so each
    # operation gets a plain Hypothesis test built from its strategy.
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case) -> None:
        case.call_and_validate(headers=headers, checks=checks)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_the_schema(api_schema, flask_roadmap, bearer, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:
        has_input = any(
            len(part) for part in (operation.path_parameters, operation.query, operation.body)
        )
        if mode is GenerationMode.NEGATIVE and not has_input:
            continue  # nothing to make invalid
        exercise(operation, mode, bearer)
