"""Validating a parsed content file against the level tables in `fields`, collecting every
problem with its line and place in the document, before anything touches the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from roadmaps.content.fields import (
    DURATION_ATTRS,
    FORMAT_VERSION,
    ROADMAP,
    ContentLevel,
    FileField,
)
from roadmaps.content.reading import ContentError, LineMapping, yaml_read
from roadmaps.durations import (
    EXAMPLES,
    Duration,
    DurationError,
    DurationUnit,
    duration_parse,
    duration_range,
    unit_of,
)
from roadmaps.markdown import BODY_MAX_LENGTH, markdown_html
from roadmaps.validators import validate_http_url, validate_topic_key


@dataclass
class ContentItem:
    """One validated row of the file: model field values, and its child lists by file key."""

    level: ContentLevel
    values: dict[str, Any]
    children: dict[str, list[ContentItem]] = field(default_factory=dict)
    source: str = ""

    @property
    def slug(self) -> str:
        return self.values.get("slug", "")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Reader:
    """Walks one parsed document, collecting every problem with its line and path."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []
        self.seen_in_roadmap: dict[str, dict[Any, str]] = {}
        # Earlier keys named in `renamed_from`: old key -> (node, path) where it is named.
        self.renamed: dict[str, tuple[Any, str]] = {}
        # Rows described so far; past CONTENT_MAX_ROWS the rest of the file is not read.
        self.rows = 0

    def problem(self, node: Any, path: str, message: str) -> None:
        # A field's problem names the field's own line; the mapping's line is for the rest.
        line = getattr(node, "line", 0)
        if isinstance(node, LineMapping):
            line = node.line_of(path.rsplit(".", 1)[-1])
        where = f"{self.source}, line {line}" if line else self.source
        self.problems.append(f"{where} ({path}): {message}" if path else f"{where}: {message}")

    def mapping(self, node: Any, path: str, allowed: list[str]) -> bool:
        if not isinstance(node, dict):
            self.problem(node, path, f"expected a mapping of fields, got {type_name(node)}")
            return False
        for key in sorted(set(node) - set(allowed), key=str):
            self.problem(node, path, f"unknown field {key!r}; allowed fields: {', '.join(allowed)}")
        return True

    def sequence(self, node: dict, key: str, path: str) -> list:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(node, _join(path, key), f"expected a list, got {type_name(value)}")
            return []
        return value


# --- One reader per kind of field: each returns {model field: value} --------------------------

FieldReader = Callable[[_Reader, ContentLevel, FileField, dict, str], dict[str, Any]]


def _read_text(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    value = node.get(spec.key)
    [attr] = spec.attrs
    if value is None or value == "":
        if spec.required:
            reader.problem(node, where, "is required and must not be empty")
        return {attr: spec.default}
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        reader.problem(node, where, f"expected text, got {type_name(value)}")
        return {attr: spec.default}
    text = str(value).strip()
    problem = _field_problem(level.model_field(attr), text)
    if problem:
        reader.problem(node, where, f"{problem} (value: {short(text)})")
    return {attr: text}


@cache
def _plain_text(model_field: Any) -> bool:
    """A CharField/TextField with only the generic checks (length, no NUL characters)."""
    return (
        isinstance(model_field, models.CharField | models.TextField)
        and not getattr(model_field, "_validators", ())
        and not model_field.choices
        and type(model_field).default_validators == []
        and model_field.max_length is not None
    )


def _field_problem(model_field: Any, text: str) -> str | None:
    """The model field's own checks (length, slug, key and language rules), so a file cannot
    hold what the admin would refuse; one message per value: the field's own rule says it
    best ("use a two-letter code"), the generic checks that fail with it only repeat it."""
    if _plain_text(model_field) and len(text) <= model_field.max_length and "\x00" not in text:
        return None  # what clean() would conclude, without its per-call overhead (15,000 items)
    try:
        model_field.clean(text, None)
    except ValidationError as error:
        for validator in model_field._validators:
            try:
                validator(text)
            except ValidationError as own:
                return str(own.messages[0])
        return str(error.messages[0])
    return None


def _read_choice(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    value = node.get(spec.key, None if spec.required else spec.default)
    [attr] = spec.attrs
    if value is None:
        reader.problem(node, where, f"is required; one of: {', '.join(spec.choices)}")
        return {attr: spec.choices[0]}
    if value not in spec.choices:
        named = ", ".join(choice for choice in spec.choices if choice)
        reader.problem(node, where, f"unknown value {short(value)}; expected one of: {named}")
        return {attr: spec.choices[0]}
    return {attr: str(value)}


def _read_flag(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    value = node.get(spec.key, spec.default)
    if not isinstance(value, bool):
        reader.problem(node, where, "expected true or false")
        value = spec.default
    return {spec.attrs[0]: value}


def _read_url(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    value = node.get(spec.key)
    [attr] = spec.attrs
    if not isinstance(value, str) or not value.strip():
        reader.problem(node, where, "is required: a full http:// or https:// address")
        return {attr: ""}
    url = value.strip()
    try:
        validate_http_url(url)
    except ValidationError:
        reader.problem(node, where, f"{short(url)} is not an http:// or https:// address")
    limit = level.model_field(attr).max_length
    if limit and len(url) > limit:
        reader.problem(node, where, f"is longer than {limit} characters")
    return {attr: url}


_NO_DURATION: dict[str, Any] = dict.fromkeys(DURATION_ATTRS[:2]) | dict.fromkeys(
    DURATION_ATTRS[2:], ""
)
DURATION_KEYS = ("min", "max", "unit", "label")


def _duration_values(duration: Duration) -> dict[str, Any]:
    return dict(
        zip(
            DURATION_ATTRS,
            (duration.low, duration.high, duration.unit, duration.label),
            strict=True,
        )
    )


def _read_months(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    """`months: 1-2`, the short form of a duration in months (see _read_duration)."""
    value = node.get(spec.key)
    if value is None:
        return {}  # `duration` (read next) fills the fields, or empties them
    months_only = f"expected a range of months like 1-2, got {short(value)}"
    try:
        duration = duration_parse(str(value))
    except DurationError as error:
        unreadable = str(error).startswith("expected") or "unit" in str(error)
        reader.problem(node, where, months_only if unreadable else str(error))
        return dict(_NO_DURATION)
    if duration.unit != DurationUnit.MONTHS:
        reader.problem(node, where, f"{months_only}; write weeks or days under `duration`")
        return dict(_NO_DURATION)
    return _duration_values(duration)


def _read_duration(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    """A phase's time: text ("1-1.5 months", "2 weeks", "10 days") or a mapping
    {min, max, unit, label}, where a label alone ("20% of your time") is allowed."""
    value = node.get(spec.key)
    if value is None:
        return {} if node.get("months") is not None else dict(_NO_DURATION)
    if node.get("months") is not None:
        reader.problem(node, where, "write the time once: `months` or `duration`, not both")
        return {}
    try:
        if isinstance(value, dict):
            mapping = _duration_mapping(reader, level, value, where)
            if mapping is None:
                return dict(_NO_DURATION)
            duration = mapping
        elif isinstance(value, str):
            duration = duration_parse(value)
        else:
            raise DurationError(
                f"expected text like {EXAMPLES} or a mapping of min, max, unit and label, "
                f"got {type_name(value)}"
            )
    except DurationError as error:
        reader.problem(node, where, str(error))
        return dict(_NO_DURATION)
    return _duration_values(duration)


def _duration_mapping(
    reader: _Reader, level: ContentLevel, value: dict, where: str
) -> Duration | None:
    unknown = sorted(set(value) - set(DURATION_KEYS), key=str)
    for key in unknown:
        message = f"unknown field {key!r}; allowed: min, max, unit, label"
        reader.problem(value, f"{where}.{key}", message)
    if unknown:
        return None  # said once: what the mapping means is unclear, so nothing more is checked
    label = value.get("label")
    if label is not None and not isinstance(label, str):
        raise DurationError(f"label: expected text, got {type_name(label)}")
    label = (label or "").strip()
    problem = _field_problem(level.model_field("duration_label"), label)
    if problem:
        raise DurationError(f"label: {problem}")
    low, high = value.get("min"), value.get("max")
    if low is None and high is None:
        if "unit" in value or not label:
            raise DurationError("give min (and max when it differs) with a unit, or a label")
        return Duration(label=label)
    if low is None:
        raise DurationError("max without min: give min too")
    unit = value.get("unit")
    if unit is not None and not isinstance(unit, str):
        raise DurationError(f"unit: expected months, weeks or days, got {type_name(unit)}")
    duration = duration_range(low, low if high is None else high, unit_of(unit))
    return Duration(duration.low, duration.high, duration.unit, label)


MAX_TAGS = 12


def _read_tags(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    """A roadmap's tags: a list of names ("Python", "Web Development"), each once by slug."""
    value = node.get(spec.key)
    if value is None:
        return {"tags": ()}
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        reader.problem(node, where, "expected a list of tag names, e.g. [Python, Web Development]")
        return {"tags": ()}
    names: dict[str, str] = {}
    for raw in value:
        name = raw.strip()
        slug = slugify(name)
        if not slug or len(name) > 50:
            reader.problem(
                node,
                where,
                f"{short(raw)} is not a tag: 1 to 50 characters, with letters or digits",
            )
        elif slug in names:
            reader.problem(node, where, f"{short(raw)} is the same tag as {names[slug]!r}")
        else:
            names[slug] = name
    if len(names) > MAX_TAGS:
        reader.problem(node, where, f"{len(names)} tags; a roadmap has at most {MAX_TAGS}")
    return {"tags": tuple(names.values())}


def _read_format(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    if node.get(spec.key, FORMAT_VERSION) != FORMAT_VERSION:
        reader.problem(node, where, f"unsupported format; this version reads {FORMAT_VERSION}")
    return {}


def _read_renames(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    value = node.get(spec.key)
    [attr] = spec.attrs
    if value is None:
        return {attr: ()}
    if not isinstance(value, list) or not all(isinstance(old, str) for old in value):
        reader.problem(node, where, "expected a list of earlier keys, e.g. [old-key]")
        return {attr: ()}
    keys = [old.strip() for old in value]
    for old in keys:
        try:
            validate_topic_key(old)
        except ValidationError as error:
            reader.problem(node, where, " ".join(error.messages) + f" (value: {short(old)})")
        if old == str(node.get("key", "")).strip():
            reader.problem(node, where, f"{old!r} is this item's own key")
        elif old in reader.renamed:
            reader.problem(node, where, f"{old!r} is also renamed at {reader.renamed[old][1]}")
        else:
            reader.renamed[old] = (node, where)
    return {attr: tuple(keys)}


def _check_renames(reader: _Reader) -> None:
    """An earlier key must not be an item's key in the same file: which row would it be?"""
    keys = reader.seen_in_roadmap.get("key", {})
    for old, (node, where) in reader.renamed.items():
        if old in keys:
            reader.problem(
                node,
                where,
                f"{old!r} is still the key of the item at {keys[old]}; "
                "a renamed key cannot also stay",
            )


def _read_markdown(
    reader: _Reader, level: ContentLevel, spec: FileField, node: dict, where: str
) -> dict[str, Any]:
    """A body in Markdown, best written as a YAML block string (`body: |`); rendered here, so
    the import stores the HTML learners see with the text (roadmaps.markdown)."""
    text_attr, html_attr = spec.attrs
    value = node.get(spec.key)
    if value is None or value == "":
        return {text_attr: "", html_attr: ""}
    if not isinstance(value, str):
        reader.problem(
            node, where, f"expected Markdown text (e.g. 'body: |'), got {type_name(value)}"
        )
        return {text_attr: "", html_attr: ""}
    # Leading spaces may mean something in Markdown (a code block); blank edges do not.
    text = value.strip("\n").rstrip()
    limit = level.model_field(text_attr).max_length or BODY_MAX_LENGTH
    if len(text) > limit:
        reader.problem(node, where, f"is {len(text)} characters long; the limit is {limit}")
        return {text_attr: "", html_attr: ""}
    if "\x00" in text:
        reader.problem(node, where, "contains a NUL character")
        return {text_attr: "", html_attr: ""}
    return {text_attr: text, html_attr: markdown_html(text)}


FIELD_READERS: dict[str, FieldReader] = {
    "text": _read_text,
    "markdown": _read_markdown,
    "choice": _read_choice,
    "flag": _read_flag,
    "url": _read_url,
    "months": _read_months,
    "duration": _read_duration,
    "tags": _read_tags,
    "format": _read_format,
    "renames": _read_renames,
}


# --- Walking the tree --------------------------------------------------------------------------


def _check_unique(
    reader: _Reader, spec: FileField, value: Any, node: dict, where: str, siblings: dict
) -> None:
    if not spec.unique or not value:
        return
    if spec.unique == "siblings":
        if value in siblings:
            reader.problem(node, where, f"{short(value)} is listed twice here")
        siblings[value] = where
        return
    seen = reader.seen_in_roadmap.setdefault(spec.key, {})
    if value in seen:
        reader.problem(
            node, where, f"duplicate {spec.key} {value!r}, already used at {seen[value]}"
        )
    else:
        seen[value] = f"line {getattr(node, 'line', '?')} ({where.rsplit('.', 1)[0]})"


def _read_item(
    reader: _Reader, level: ContentLevel, node: Any, path: str, siblings: dict[str, dict]
) -> ContentItem | None:
    if not reader.mapping(node, path, level.keys):
        return None
    item = ContentItem(level, {})
    for spec in level.fields:
        where = _join(path, spec.key)
        values = FIELD_READERS[spec.kind](reader, level, spec, node, where)
        item.values.update(values)
        if values:
            _check_unique(reader, spec, values[spec.attrs[0]], node, where, siblings[spec.key])
    for child in level.children:
        item.children[child.key] = _read_list(reader, child.level, node, child.key, path)
    return item


def _read_list(
    reader: _Reader, level: ContentLevel, owner: dict, key: str, path: str
) -> list[ContentItem]:
    siblings: dict[str, dict] = {spec.key: {} for spec in level.fields}
    nodes = reader.sequence(owner, key, path)
    limit = settings.CONTENT_MAX_ROWS
    if reader.rows + len(nodes) > limit:
        if reader.rows <= limit:  # said once, at the list that passes the limit
            message = f"more than {limit} rows in one file (setting CONTENT_MAX_ROWS)"
            reader.problem(owner, _join(path, key), message)
        reader.rows = limit + 1
        return []
    reader.rows += len(nodes)
    items = []
    for index, node in enumerate(nodes):
        item = _read_item(reader, level, node, f"{_join(path, key)}[{index}]", siblings)
        if item is not None:
            items.append(item)
    return items


def roadmap_parse(text: str, *, source: str) -> ContentItem:
    """Parse and validate one content file; raises ContentError listing every problem."""
    reader = _Reader(source)
    document = yaml_read(text, source=source)
    item = _read_item(reader, ROADMAP, document, "", {spec.key: {} for spec in ROADMAP.fields})
    _check_renames(reader)
    if item is None or reader.problems:
        raise ContentError(reader.problems)
    item.source = source
    return item
