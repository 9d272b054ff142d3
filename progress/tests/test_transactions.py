"""`atomic_with_retry`: which aborts it runs again, how often, and when it must not."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError, transaction

from progress.transactions import ATTEMPTS, atomic_with_retry, is_retryable


class DriverError(Exception):
    """Stands in for the driver's error, which carries the SQLSTATE (psycopg's `sqlstate`)."""

    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def aborted(sqlstate: str) -> OperationalError:
    """The error Django raises: its own, with the driver's as the cause."""
    error = OperationalError(f"aborted: {sqlstate}")
    error.__cause__ = DriverError(sqlstate)
    return error


def failing(errors: list[Exception], calls: list[bool]):
    def write() -> str:
        calls.append(transaction.get_connection().in_atomic_block)
        if errors:
            raise errors.pop(0)
        return "written"

    return write


@pytest.mark.parametrize(
    ("sqlstate", "retryable"),
    [("40P01", True), ("40001", True), ("23505", False), ("57014", False)],
)
def test_only_deadlocks_and_serialization_failures_are_retryable(sqlstate, retryable):
    assert is_retryable(aborted(sqlstate)) is retryable
    assert is_retryable(OperationalError("no cause")) is False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_an_aborted_transaction_runs_again_until_it_commits(sqlstate):
    calls: list[bool] = []
    write = failing([aborted(sqlstate), aborted(sqlstate)], calls)
    assert atomic_with_retry(write) == "written"
    assert calls == [True] * ATTEMPTS  # every attempt in a transaction of its own


@pytest.mark.django_db(transaction=True)
def test_it_gives_up_after_the_last_attempt():
    calls: list[bool] = []
    write = failing([aborted("40P01") for _ in range(ATTEMPTS + 1)], calls)
    with pytest.raises(OperationalError, match="40P01"):
        atomic_with_retry(write)
    assert len(calls) == ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_other_errors_are_not_retried():
    calls: list[bool] = []
    with pytest.raises(IntegrityError):
        atomic_with_retry(failing([IntegrityError("duplicate")], calls))
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_a_callers_transaction_the_abort_is_the_callers():
    # pytest-django's test transaction is the caller's: a retry could not repeat its work.
    calls: list[bool] = []
    with pytest.raises(OperationalError):
        atomic_with_retry(failing([aborted("40P01")], calls))
    assert len(calls) == 1
