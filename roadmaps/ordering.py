"""Positions inside a parent are dense and zero-based; editors type a position to move a row."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db import models


def renumber(rows: Iterable[models.Model], *, moved: Collection[tuple[str, int]] = ()) -> int:
    """Give `rows` (ordered by position) dense positions 0..n-1; returns rows changed.

    `moved` names rows (model label, pk) an editor just gave a new position: on a tie they go
    first, so typing 2 puts an item *at* place 2, before the item that was there. Only rows
    whose position differs are written, so renumbering an ordered list costs nothing.
    """
    ordered = sorted(
        enumerate(rows),
        key=lambda pair: (
            pair[1].position,  # type: ignore[attr-defined]
            (pair[1]._meta.label, pair[1].pk) not in moved,
            pair[0],
        ),
    )
    changed = []
    for index, (_, row) in enumerate(ordered):
        if row.position != index:  # type: ignore[attr-defined]
            row.position = index  # type: ignore[attr-defined]
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])  # type: ignore[attr-defined]
    return len(changed)
