"""Model instances read with one short SQL statement on the paths every request takes.

Building a query through the ORM (`User.objects.get(pk=...)`, a token with its user) cost more
CPU than the database spent answering it: ~230 us for a user by id, ~420 us for a token with its
user, against ~70 us for the same row read with a prepared statement text (README
"Performance"). `ModelColumns` keeps a model's column list ready and turns a row back into an
instance exactly as the ORM does: the backend's and the fields' converters (SQLite's naive
datetimes made aware, booleans), then `Model.from_db`, so the instance saves, compares and
refreshes like any other.

`rows` sends such a statement so that it also serves as the connection's health check: with
CONN_HEALTH_CHECKS Django sends `SELECT 1` before a request's first query, a round trip as long
as the statement itself on every request that reads one row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import InterfaceError, OperationalError, connection
from django.db.models import Model
from django.utils.functional import cached_property

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


def rows(sql: str, params: Sequence[Any]) -> list[tuple]:
    """The rows of one statement, which checks the connection as Django's health check would.

    It is sent first on a persistent connection without `SELECT 1` before it; should that
    connection have died (PostgreSQL restarted, a backend killed), the connection is closed and
    the statement sent once more on a fresh one, as after a failed health check. Inside a
    transaction nothing is retried (the transaction is gone with the connection)."""
    retry = not connection.in_atomic_block
    if connection.connection is not None:
        connection.health_check_done = True  # type: ignore[attr-defined]
    try:
        return _fetch_all(sql, params)
    except (OperationalError, InterfaceError):
        if not retry:
            raise
        connection.close()
        return _fetch_all(sql, params)


def _fetch_all(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class ModelColumns(Generic[M]):
    """All concrete columns of `model` under a table alias, for a SELECT written by hand."""

    def __init__(self, model: type[M], alias: str) -> None:
        self.model = model
        self.alias = alias
        self._converters: dict[str, list[tuple[int, list[Converter], Any]]] = {}

    @cached_property
    def fields(self) -> list[Any]:
        # Read on first use, not at import: a models module makes its columns before the
        # app registry is ready.
        return list(self.model._meta.concrete_fields)

    @cached_property
    def names(self) -> list[str]:
        return [field.attname for field in self.fields]

    @property
    def table(self) -> str:
        return connection.ops.quote_name(self.model._meta.db_table)

    @property
    def sql(self) -> str:
        """`alias."column", ...` in field order: what `instance` reads back."""
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def instance(self, values: Sequence[Any]) -> M:
        """The instance of one row's values (in `sql`'s order), converted as the ORM does."""
        row = list(values)
        for index, converters, column in self._converters_of_connection():
            value = row[index]
            for converter in converters:
                value = converter(value, column, connection)
            row[index] = value
        return self.model.from_db(connection.alias, self.names, row)

    def _converters_of_connection(self) -> list[tuple[int, list[Converter], Any]]:
        found = self._converters.get(connection.vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                converters = connection.ops.get_db_converters(column)
                converters += field.get_db_converters(connection)  # type: ignore[attr-defined]
                if converters:
                    found.append((index, converters, column))
            self._converters[connection.vendor] = found
        return found
