"""Reading a content file's YAML, remembering the line of every mapping and list so each
problem can name where it is."""

from __future__ import annotations

from typing import Any

import yaml


class ContentError(Exception):
    """One or more problems in content files; nothing was imported."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class LineMapping(dict):
    line: int = 0


class LineSequence(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping and list, and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMapping:
    seen: dict[Any, int] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first at line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    mapping = LineMapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineSequence:
    sequence = LineSequence(loader.construct_sequence(node, deep=True))
    sequence.line = node.start_mark.line + 1
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def yaml_read(text: str, *, source: str) -> Any:
    """The document in `text`; a ContentError naming the file and line if it is not YAML."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError([f"{source}{line}: not valid YAML: {problem}"]) from None
