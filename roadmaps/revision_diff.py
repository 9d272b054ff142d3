"""Comparing two revisions of a roadmap as editors read it: which phases, sections, items,
resources and FAQs were added, removed, changed (with the old and new text) or moved.

Rows are matched by what identifies them to an editor: an item by its permanent key, a phase by
its title, a section by its title in its phase, a resource by its URL under its owner, an FAQ by
its question (a reworded phase or question shows as removed and added). A row has moved when it
changed owner or when its order among the siblings both revisions share changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import yaml

# (file key of the child list, level name, how a row of it is named to editors)
_LISTS = {
    "resources": ("Resource", "url"),
    "phases": ("Phase", "title"),
    "sections": ("Section", "title"),
    "topics": ("Item", "key"),
    "faqs": ("FAQ", "question"),
}
# Levels whose rows are paired by place when their name changed (a resource is its URL, an FAQ
# its question: changing those shows as removed and added).
_RENAMEABLE = {"Phase", "Section"}


@dataclass
class _Row:
    level: str
    label: str
    parent: tuple
    where: str
    fields: dict[str, str]


@dataclass
class Change:
    level: str
    label: str
    kinds: list[str]  # "added", "removed", "changed", "moved"
    where: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _fields(node: dict) -> dict[str, str]:
    """A row's own fields as text; lists of values (tags) and mappings (a phase's duration)
    are fields too, only the child lists are rows of their own."""
    fields = {}
    for key, value in node.items():
        if key in _LISTS:
            continue
        if isinstance(value, list):
            fields[key] = ", ".join(_text(part) for part in value)
        elif isinstance(value, dict):
            fields[key] = ", ".join(f"{name} {_text(part)}" for name, part in value.items())
        else:
            fields[key] = _text(value)
    return fields


Siblings = dict[tuple, list[tuple[str, tuple]]]  # (parent, level) -> [(name, row id)] in order


def _child_ids(
    level: str, names: list[str], parent: tuple, reference: Siblings | None
) -> list[tuple]:
    """Ids for one list of children. In the newer revision a child takes the id of the older
    sibling with its name; for phases and sections, the rest take in order those of the older
    siblings whose names are gone (a renamed phase is changed, not removed and added). Items
    are their key everywhere."""
    if level == "Item":
        return [(level, name) for name in names]
    older = (reference or {}).get((parent, level), [])
    by_name: dict[str, list[tuple]] = {}
    for name, old_id in older:
        by_name.setdefault(name, []).append(old_id)
    ids: list[tuple | None] = [
        by_name[name].pop(0) if by_name.get(name) else None for name in names
    ]
    renamed = [old_id for name, old_id in older if name not in names and level in _RENAMEABLE]
    for index, name in enumerate(names):
        if ids[index] is None:
            ids[index] = renamed.pop(0) if renamed else (*parent, level, name, index)
    return [child_id for child_id in ids if child_id is not None]


def _walk(
    node: dict, identity: tuple, where: str, reference: Siblings | None, siblings: Siblings
) -> Iterator[tuple[tuple, _Row]]:
    for key, (level, name_key) in _LISTS.items():
        children = [child for child in node.get(key) or [] if isinstance(child, dict)]
        names = [_text(child.get(name_key)) for child in children]
        ids = _child_ids(level, names, identity, reference)
        siblings[(identity, level)] = list(zip(names, ids, strict=True))
        for child, name, child_id in zip(children, names, ids, strict=True):
            label = name if level != "Item" else f"{child.get('title', '')} ({name})"
            yield child_id, _Row(level, label, identity, where, _fields(child))
            yield from _walk(
                child, child_id, f"{where} > {name}" if where else name, reference, siblings
            )


def _rows(text: str, reference: Siblings | None = None) -> tuple[dict[tuple, _Row], Siblings]:
    document = yaml.safe_load(text) or {}
    rows: dict[tuple, _Row] = {("Roadmap",): _Row("Roadmap", "Roadmap", (), "", _fields(document))}
    siblings: Siblings = {}
    rows.update(_walk(document, ("Roadmap",), "", reference, siblings))
    return rows, siblings


def _moved(old: dict[tuple, _Row], new: dict[tuple, _Row]) -> set[tuple]:
    """Rows whose owner changed, or whose order among the shared siblings changed."""
    moved = {key for key in old.keys() & new.keys() if old[key].parent != new[key].parent}
    by_parent: dict[tuple, tuple[list[tuple], list[tuple]]] = {}
    for key in old.keys() & new.keys() - moved:
        by_parent.setdefault((old[key].parent, old[key].level), ([], []))
    for key in old:
        if key in new and key not in moved:
            by_parent[(old[key].parent, old[key].level)][0].append(key)
    for key in new:
        if key in old and key not in moved:
            by_parent[(new[key].parent, new[key].level)][1].append(key)
    for before, after in by_parent.values():
        matcher = SequenceMatcher(a=before, b=after, autojunk=False)
        kept = {
            before[block.a + i]
            for block in matcher.get_matching_blocks()
            for i in range(block.size)
        }
        moved.update(set(before) - kept)
    return moved


def revision_diff(old_text: str, new_text: str, *, same: tuple[str, ...] = ()) -> list[Change]:
    """What changed from `old_text` to `new_text` (two content files), in the tree's order;
    the roadmap's own fields named in `same` are left out (a draft copy's slug and status)."""
    old, siblings = _rows(old_text)
    new, _ = _rows(new_text, siblings)
    for rows in (old, new):
        for name in same:
            rows[("Roadmap",)].fields.pop(name, None)
    moved = _moved(old, new)
    changes: list[Change] = []
    for key in [*new, *(key for key in old if key not in new)]:
        before, after = old.get(key), new.get(key)
        row = after or before
        assert row is not None
        if before is None or after is None:
            kind = "added" if before is None else "removed"
            changes.append(Change(row.level, row.label, [kind], row.where))
            continue
        fields = [
            (name, before.fields.get(name, ""), after.fields.get(name, ""))
            for name in dict.fromkeys([*before.fields, *after.fields])
            if before.fields.get(name, "") != after.fields.get(name, "")
        ]
        kinds = (["changed"] if fields else []) + (["moved"] if key in moved else [])
        if kinds:
            where = (
                after.where if before.parent == after.parent else f"{before.where} → {after.where}"
            )
            changes.append(Change(row.level, row.label, kinds, where, fields))
    return changes
