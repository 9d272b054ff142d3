"""Content files: a whole roadmap as one human-editable YAML document (docs/content-format.md).

The package follows the stages a file goes through, all driven by the level tables in `fields`:
`reading` (YAML with line numbers), `validation` (every problem, with file, line and place),
`apply` (rows updated in place and in bulk), `importing` (all files, all-or-nothing, one
transaction) and `export` (the canonical form; export -> import -> export is byte-identical).
"""

from __future__ import annotations

from roadmaps.content.apply import ImportReport
from roadmaps.content.export import roadmap_export
from roadmaps.content.fields import FORMAT_VERSION
from roadmaps.content.importing import (
    content_files,
    roadmap_import_files,
    roadmap_import_text,
    roadmap_replace,
)
from roadmaps.content.reading import ContentError
from roadmaps.content.validation import ContentItem, roadmap_parse
from roadmaps.content_text import FILE_HEADER, document_text

__all__ = [
    "FILE_HEADER",
    "FORMAT_VERSION",
    "ContentError",
    "ContentItem",
    "ImportReport",
    "content_files",
    "document_text",
    "roadmap_export",
    "roadmap_import_files",
    "roadmap_import_text",
    "roadmap_parse",
    "roadmap_replace",
]
