"""Transactions that the database may abort to break a lock conflict, and their retry.

Writers of several progress rows lock them in a fixed order (by topic id), so two of them do not
deadlock on each other; PostgreSQL can still pick a transaction as the victim of a cycle that
involves other statements, or abort one under a stricter isolation level. Those aborts say
nothing about the data: running the same transaction again is the documented answer, so it is
written here once instead of in every service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, transaction

T = TypeVar("T")

ATTEMPTS = 3
# SQLSTATE codes of aborts that a fresh attempt can get past: serialization_failure and
# deadlock_detected (PostgreSQL's class 40, "transaction rollback").
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def is_retryable(error: BaseException) -> bool:
    """Whether the database aborted the transaction over a lock or serialization conflict.

    Django re-raises the driver's error as its own, with the driver's (which carries the
    SQLSTATE) as the cause."""
    causes = (error, error.__cause__)
    return any(getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES for cause in causes)


def atomic_with_retry(write: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run `write()` in a transaction; when the database aborts it over a deadlock or a
    serialization failure, run it again, `attempts` times in all, then let the error out.

    Only an outermost transaction is retried: inside a caller's transaction the abort belongs
    to the caller, whose earlier statements a retry here could not repeat.
    """
    if transaction.get_connection().in_atomic_block:
        attempts = 1
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return write()
        except DatabaseError as error:
            if attempt == attempts or not is_retryable(error):
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")
