"""Reading a content file's YAML with the C parser, remembering the line of every mapping, key
and list so each problem can name where it is."""

from __future__ import annotations

from typing import Any

import yaml
from django.conf import settings


class ContentError(Exception):
    """One or more problems in content files; nothing was imported."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class LineMapping(dict):
    """A mapping that knows its own line and the line of each of its keys, so a problem with
    one field names that field's line, not the line its block starts on."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LineSequence(list):
    line: int = 0


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that content files do not allow."""


# The C parser (libyaml) reads a content file about five times faster than the pure-Python one;
# its nodes carry the same line marks. PyYAML built without libyaml falls back to Python.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """The safe loader whose nodes `_build` turns into values with lines; it refuses duplicate
    keys and keys that are lists or mappings (`_events_check` runs first)."""


# A content file nests about eight levels deep; the C composer recurses once per level
# without Python's recursion guard, so a file of nested brackets would crash the process.
MAX_DEPTH = 40


def _events_check(text: str) -> None:
    """Refuse anchors and aliases (a few hundred bytes of nested aliases expand to gigabytes;
    content files never need them) and nesting deeper than MAX_DEPTH, before any node is
    built. One pass over the C parser's events costs about a tenth of loading the file."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problem = (
                "anchors and aliases (&name, *name) are not allowed in content files; "
                "write the value out in full"
            )
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth <= MAX_DEPTH:
                continue
            problem = f"lists and mappings are nested more than {MAX_DEPTH} deep"
        else:
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            continue
        raise _Refused(None, None, problem, event.start_mark)  # type: ignore[arg-type]


_STR = "tag:yaml.org,2002:str"
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


def _build(loader: _LineLoader, node: yaml.Node) -> Any:
    """The value of `node`, with lines on mappings and lists. Plain strings, mappings and
    lists (nearly all of a content file) are built here directly, which is about twice as
    fast as PyYAML's generic constructor; every other tag goes through SafeLoader's rules."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        sequence = LineSequence([_build(loader, child) for child in node.value])
        sequence.line = node.start_mark.line + 1
        return sequence
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        return _build_mapping(loader, node)
    return loader.construct_object(node, deep=True)


def _build_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMapping:
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(
                None,
                None,
                "a key must be a plain value, not a list or mapping",
                key_node.start_mark,
            )
        key = _build(loader, key_node)
        if key in mapping.lines:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first at line {mapping.lines[key]})",
                key_node.start_mark,
            )
        mapping.lines[key] = key_node.start_mark.line + 1
        mapping[key] = _build(loader, value_node)
    return mapping


def _load(text: str) -> Any:
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(loader, node)
    finally:
        loader.dispose()


def yaml_read(text: str, *, source: str) -> Any:
    """The document in `text`; a ContentError naming the file and line if it is not YAML."""
    try:
        _events_check(text)
        return _load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        if not isinstance(error, _Refused):
            problem = f"not valid YAML: {problem}"
        raise ContentError([f"{source}{line}: {problem}"]) from None


def size_check(size: int, *, source: str) -> None:
    """Refuse a file over CONTENT_MAX_FILE_BYTES before reading it: the import runs at every
    start of the site, and a file's size bounds the work and memory its import takes."""
    limit = settings.CONTENT_MAX_FILE_BYTES
    if size > limit:
        raise ContentError(
            [
                f"{source}: the file is over {limit} bytes, the limit for a content file "
                "(setting CONTENT_MAX_FILE_BYTES)"
            ]
        )
