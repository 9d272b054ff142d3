"""A content document (the dict a content file holds) as the canonical text of its file.

Apart from `roadmaps.content` so that `roadmaps.revision_model` can turn a stored snapshot back
into its file without importing the content package (which imports the models).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

FILE_HEADER = (
    "# Roadmapfinder content file, format 1: see docs/content-format.md.\n"
    "# Topic keys are permanent: learners' progress is stored against them.\n"
)


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key; PyYAML's default puts them flush left.
        return super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def document_text(document: dict[str, Any]) -> str:
    """A content document (keys in the file's order) as the text of its file."""
    body = yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    return FILE_HEADER + body


# Revisions store the document as compact JSON, not as its file: PyYAML's emitter is pure
# Python and writing every new roadmap's file at import took longer than the import's writes
# (bench/import.py). The file is written from the JSON when someone reads the revision.
def snapshot_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def snapshot_file_text(stored: str) -> str:
    """A stored snapshot as its content file: JSON (from this version on) or, for revisions
    recorded before, the file text itself."""
    if stored.startswith("{"):
        return document_text(json.loads(stored))
    return stored
