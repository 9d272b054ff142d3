"""Content files: a whole roadmap as one human-editable YAML document (docs/content-format.md).

`roadmap_import_files` validates every file completely before touching the database, then applies
all of them in one transaction, updating rows in place by their identity (roadmap slug, phase
number, section number inside its phase, topic key), so re-importing a file changes nothing and
learners' progress, which points at topic rows, survives every edit.
`roadmap_export` writes the canonical form; export -> import -> export is byte-identical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from roadmaps.changes import roadmap_content_changed
from roadmaps.models import (
    FAQ,
    Level,
    Phase,
    Resource,
    Roadmap,
    Section,
    Topic,
    validate_http_url,
    validate_language_code,
    validate_topic_key,
)

FORMAT_VERSION = 1
FILE_HEADER = (
    "# Roadmapfinder content file, format 1: see docs/content-format.md.\n"
    "# Topic keys are permanent: learners' progress is stored against them.\n"
)
MONTHS_RE = re.compile(r"^(\d{1,2})-(\d{1,2})$")


class ContentError(Exception):
    """One or more problems in content files; nothing was imported."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# --- Reading YAML with line numbers ---------------------------------------------------------


class _Mapping(dict):
    line: int = 0


class _Sequence(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping and list, and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
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
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_sequence(node, deep=True))
    sequence.line = node.start_mark.line + 1
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# --- Parsed content -------------------------------------------------------------------------


@dataclass
class ResourceData:
    kind: str
    title: str
    url: str
    language: str = "en"
    is_free: bool = True
    author: str = ""


@dataclass
class TopicData:
    key: str
    title: str
    summary: str = ""
    kind: str = Topic.Kind.TOPIC
    resources: list[ResourceData] = field(default_factory=list)


@dataclass
class SectionData:
    title: str
    topics: list[TopicData] = field(default_factory=list)


@dataclass
class PhaseData:
    title: str
    level: str
    level_label: str = ""
    min_months: int | None = None
    max_months: int | None = None
    summary: str = ""
    resources: list[ResourceData] = field(default_factory=list)
    sections: list[SectionData] = field(default_factory=list)


@dataclass
class FAQData:
    question: str
    answer: str


@dataclass
class RoadmapData:
    slug: str
    title: str
    edition: str = ""
    status: str = Roadmap.Status.DRAFT
    category: str = ""
    summary: str = ""
    description: str = ""
    completion_message: str = ""
    resources: list[ResourceData] = field(default_factory=list)
    phases: list[PhaseData] = field(default_factory=list)
    faqs: list[FAQData] = field(default_factory=list)
    source: str = ""


# --- Validation -----------------------------------------------------------------------------


class _Reader:
    """Walks one parsed document, collecting every problem with its line and path."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def problem(self, node: Any, path: str, message: str) -> None:
        line = getattr(node, "line", 0)
        where = f"{self.source}, line {line}" if line else self.source
        self.problems.append(f"{where} ({path}): {message}" if path else f"{where}: {message}")

    def mapping(self, node: Any, path: str, allowed: Iterable[str]) -> dict[str, Any] | None:
        if not isinstance(node, dict):
            self.problem(node, path, f"expected a mapping of fields, got {_type_name(node)}")
            return None
        unknown = sorted(set(node) - set(allowed), key=str)
        for key in unknown:
            self.problem(node, path, f"unknown field {key!r}; allowed fields: {', '.join(allowed)}")
        return node

    def sequence(self, node: dict, key: str, path: str) -> list:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(node, f"{path}.{key}", f"expected a list, got {_type_name(value)}")
            return []
        return value

    def text(
        self,
        node: dict,
        key: str,
        path: str,
        model_field: models.Field,
        *,
        required: bool = False,
        default: str = "",
    ) -> str:
        value = node.get(key)
        where = f"{path}.{key}" if path else key
        if value is None or value == "":
            if required:
                self.problem(node, where, "is required and must not be empty")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(node, where, f"expected text, got {_type_name(value)}")
            return default
        text = str(value).strip()
        try:
            model_field.clean(text, None)
        except ValidationError as error:
            self.problem(node, where, " ".join(error.messages) + f" (value: {_short(text)})")
        return text

    def choice(
        self, node: dict, key: str, path: str, choices: list[str], *, default: str | None = None
    ) -> str:
        value = node.get(key, default)
        where = f"{path}.{key}" if path else key
        if value is None:
            self.problem(node, where, f"is required; one of: {', '.join(choices)}")
            return choices[0]
        if value not in choices:
            self.problem(
                node, where, f"unknown value {_short(value)}; expected one of: {', '.join(choices)}"
            )
            return choices[0]
        return str(value)


def _type_name(value: Any) -> str:
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


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)  # type: ignore[return-value]


def _read_resources(reader: _Reader, owner: dict, path: str) -> list[ResourceData]:
    resources = []
    seen_urls: set[str] = set()
    allowed = ["kind", "title", "url", "language", "free", "author"]
    for index, node in enumerate(reader.sequence(owner, "resources", path)):
        where = f"{path}.resources[{index}]" if path else f"resources[{index}]"
        if reader.mapping(node, where, allowed) is None:
            continue
        url = node.get("url")
        if not isinstance(url, str) or not url.strip():
            reader.problem(node, f"{where}.url", "is required: a full http:// or https:// address")
            url = ""
        else:
            url = url.strip()
            try:
                validate_http_url(url)
            except ValidationError:
                reader.problem(
                    node,
                    f"{where}.url",
                    f"{_short(url)} is not an http:// or https:// address",
                )
            if url in seen_urls:
                reader.problem(node, f"{where}.url", f"{_short(url)} is listed twice here")
            seen_urls.add(url)
        free = node.get("free", True)
        if not isinstance(free, bool):
            reader.problem(node, f"{where}.free", "expected true or false")
            free = True
        language = reader.text(node, "language", where, _field(Resource, "language"), default="en")
        try:
            validate_language_code(language)
        except ValidationError as error:
            reader.problem(node, f"{where}.language", " ".join(error.messages))
        resources.append(
            ResourceData(
                kind=reader.choice(node, "kind", where, list(Resource.Kind.values)),
                title=reader.text(node, "title", where, _field(Resource, "title"), required=True),
                url=url,
                language=language,
                is_free=free,
                author=reader.text(node, "author", where, _field(Resource, "author")),
            )
        )
    return resources


def _read_months(reader: _Reader, node: dict, path: str) -> tuple[int | None, int | None]:
    value = node.get("months")
    if value is None:
        return None, None
    match = MONTHS_RE.match(str(value).strip())
    if not match:
        reader.problem(node, f"{path}.months", f"expected a range like 1-2, got {_short(value)}")
        return None, None
    low, high = int(match[1]), int(match[2])
    if low > high:
        reader.problem(node, f"{path}.months", f"the range {low}-{high} ends before it starts")
    return low, high


def roadmap_parse(text: str, *, source: str) -> RoadmapData:
    """Parse and validate one content file; raises ContentError listing every problem."""
    reader = _Reader(source)
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError([f"{source}{line}: not valid YAML: {problem}"]) from None

    top_fields = [
        "format", "slug", "title", "edition", "status", "category", "summary", "description",
        "completion_message", "resources", "phases", "faqs",
    ]  # fmt: skip
    if reader.mapping(document, "", top_fields) is None:
        raise ContentError(reader.problems)
    if document.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        reader.problem(
            document, "format", f"unsupported format; this version reads {FORMAT_VERSION}"
        )

    slug = reader.text(document, "slug", "", _field(Roadmap, "slug"), required=True)
    data = RoadmapData(
        slug=slug,
        title=reader.text(document, "title", "", _field(Roadmap, "title"), required=True),
        edition=reader.text(document, "edition", "", _field(Roadmap, "edition")),
        status=reader.choice(
            document, "status", "", list(Roadmap.Status.values), default=Roadmap.Status.DRAFT
        ),
        category=reader.text(document, "category", "", _field(Roadmap, "category")),
        summary=reader.text(document, "summary", "", _field(Roadmap, "summary")),
        description=reader.text(document, "description", "", _field(Roadmap, "description")),
        completion_message=reader.text(
            document, "completion_message", "", _field(Roadmap, "completion_message")
        ),
        resources=_read_resources(reader, document, ""),
        source=source,
    )

    keys_seen: dict[str, str] = {}
    phase_fields = ["title", "level", "label", "months", "summary", "resources", "sections"]
    for p_index, phase_node in enumerate(reader.sequence(document, "phases", "")):
        p_path = f"phases[{p_index}]"
        if reader.mapping(phase_node, p_path, phase_fields) is None:
            continue
        min_months, max_months = _read_months(reader, phase_node, p_path)
        phase = PhaseData(
            title=reader.text(phase_node, "title", p_path, _field(Phase, "title"), required=True),
            level=reader.choice(phase_node, "level", p_path, list(Level.values)),
            level_label=reader.text(phase_node, "label", p_path, _field(Phase, "level_label")),
            min_months=min_months,
            max_months=max_months,
            summary=reader.text(phase_node, "summary", p_path, _field(Phase, "summary")),
            resources=_read_resources(reader, phase_node, p_path),
        )
        for s_index, section_node in enumerate(reader.sequence(phase_node, "sections", p_path)):
            s_path = f"{p_path}.sections[{s_index}]"
            if reader.mapping(section_node, s_path, ["title", "topics"]) is None:
                continue
            section = SectionData(
                title=reader.text(
                    section_node, "title", s_path, _field(Section, "title"), required=True
                )
            )
            topic_fields = ["key", "title", "summary", "kind", "resources"]
            for t_index, topic_node in enumerate(reader.sequence(section_node, "topics", s_path)):
                t_path = f"{s_path}.topics[{t_index}]"
                if reader.mapping(topic_node, t_path, topic_fields) is None:
                    continue
                key = reader.text(topic_node, "key", t_path, _field(Topic, "key"), required=True)
                if key:
                    try:
                        validate_topic_key(key)
                    except ValidationError as error:
                        reader.problem(topic_node, f"{t_path}.key", " ".join(error.messages))
                    if key in keys_seen:
                        reader.problem(
                            topic_node,
                            f"{t_path}.key",
                            f"duplicate key {key!r}, already used at {keys_seen[key]}",
                        )
                    else:
                        keys_seen[key] = f"line {getattr(topic_node, 'line', '?')} ({t_path})"
                section.topics.append(
                    TopicData(
                        key=key,
                        title=reader.text(
                            topic_node, "title", t_path, _field(Topic, "title"), required=True
                        ),
                        summary=reader.text(
                            topic_node, "summary", t_path, _field(Topic, "summary")
                        ),
                        kind=reader.choice(
                            topic_node, "kind", t_path, list(Topic.Kind.values), default="topic"
                        ),
                        resources=_read_resources(reader, topic_node, t_path),
                    )
                )
            phase.sections.append(section)
        data.phases.append(phase)

    for f_index, faq_node in enumerate(reader.sequence(document, "faqs", "")):
        f_path = f"faqs[{f_index}]"
        if reader.mapping(faq_node, f_path, ["question", "answer"]) is None:
            continue
        data.faqs.append(
            FAQData(
                question=reader.text(
                    faq_node, "question", f_path, _field(FAQ, "question"), required=True
                ),
                answer=reader.text(
                    faq_node, "answer", f_path, _field(FAQ, "answer"), required=True
                ),
            )
        )

    if reader.problems:
        raise ContentError(reader.problems)
    return data


# --- Applying to the database ---------------------------------------------------------------


@dataclass
class ImportReport:
    slug: str
    created: int = 0
    updated: int = 0
    deleted: int = 0
    retired: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.retired)

    def __str__(self) -> str:
        if not self.changed:
            return f"{self.slug}: unchanged"
        return (
            f"{self.slug}: {self.created} created, {self.updated} updated, "
            f"{self.deleted} deleted, {self.retired} retired"
        )


def _assign(row: models.Model, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _save(row: models.Model, values: dict[str, Any], report: ImportReport) -> None:
    is_new = row.pk is None
    # Values were validated against the model fields while parsing; no full_clean() here,
    # which would cost a query per foreign key on every row.
    if _assign(row, values) or is_new:
        row.save()
        if is_new:
            report.created += 1
        else:
            report.updated += 1


def _topics_in_use(topic_ids: list[int]) -> set[int]:
    """Topics that other apps refer to with a protecting foreign key (learners' progress).

    `roadmaps` knows nothing of `progress`; it asks the model graph instead.
    """
    in_use: set[int] = set()
    for relation in Topic._meta.related_objects:
        if relation.on_delete not in (models.PROTECT, models.RESTRICT):
            continue
        related_model: type[models.Model] = relation.related_model  # type: ignore[assignment]
        related = related_model._default_manager.filter(**{f"{relation.field.name}__in": topic_ids})
        in_use.update(related.values_list(relation.field.attname, flat=True))
    return in_use


class _ResourceSync:
    """Matches a roadmap's resources by (owner, url) so unchanged ones keep their rows."""

    def __init__(self, roadmap: Roadmap, report: ImportReport):
        self.roadmap = roadmap
        self.report = report
        self.new_urls: list[str] = []  # created rows: a changed URL is a new row too
        self.existing: dict[tuple[str, int | None, str], Resource] = {}
        if roadmap.pk:
            for resource in roadmap.resources.all():
                self.existing[
                    self._owner_key(resource.phase_id, resource.topic_id, resource.url)
                ] = resource

    @staticmethod
    def _owner_key(phase_id: int | None, topic_id: int | None, url: str) -> tuple:
        if topic_id:
            return ("topic", topic_id, url)
        if phase_id:
            return ("phase", phase_id, url)
        return ("roadmap", None, url)

    def apply(
        self, items: list[ResourceData], *, phase: Phase | None = None, topic: Topic | None = None
    ) -> None:
        for position, item in enumerate(items):
            key = self._owner_key(
                phase.pk if phase else None, topic.pk if topic else None, item.url
            )
            row = self.existing.pop(key, None)
            if row is None:
                row = Resource(roadmap=self.roadmap, phase=phase, topic=topic)
                self.new_urls.append(item.url)
            _save(
                row,
                {
                    "position": position,
                    "kind": item.kind,
                    "title": item.title,
                    "url": item.url,
                    "language": item.language,
                    "is_free": item.is_free,
                    "author": item.author,
                },
                self.report,
            )

    def delete_leftovers(self) -> None:
        for row in self.existing.values():
            row.delete()
            self.report.deleted += 1


def _roadmap_apply(data: RoadmapData) -> tuple[ImportReport, Roadmap, list[str]]:
    """Apply one roadmap; returns its report, its row and the URLs of resources it created."""
    report = ImportReport(slug=data.slug)
    roadmap = Roadmap.objects.filter(slug=data.slug).first() or Roadmap(slug=data.slug)
    _save(
        roadmap,
        {
            "title": data.title,
            "edition": data.edition,
            "status": data.status,
            "category": data.category,
            "summary": data.summary,
            "description": data.description,
            "completion_message": data.completion_message,
        },
        report,
    )
    resources = _ResourceSync(roadmap, report)
    resources.apply(data.resources)

    phases = {phase.position: phase for phase in roadmap.phases.all()}
    sections = {(s.phase_id, s.position): s for s in Section.objects.filter(phase__roadmap=roadmap)}
    topics = {topic.key: topic for topic in roadmap.topics.all()}
    keys_in_file: set[str] = set()

    for p_position, phase_data in enumerate(data.phases):
        phase = phases.pop(p_position, None) or Phase(roadmap=roadmap)
        _save(
            phase,
            {
                "position": p_position,
                "title": phase_data.title,
                "level": phase_data.level,
                "level_label": phase_data.level_label,
                "min_months": phase_data.min_months,
                "max_months": phase_data.max_months,
                "summary": phase_data.summary,
            },
            report,
        )
        resources.apply(phase_data.resources, phase=phase)
        for s_position, section_data in enumerate(phase_data.sections):
            section = sections.pop((phase.pk, s_position), None) or Section(phase=phase)
            _save(section, {"position": s_position, "title": section_data.title}, report)
            for t_position, topic_data in enumerate(section_data.topics):
                keys_in_file.add(topic_data.key)
                topic = topics.get(topic_data.key) or Topic(roadmap=roadmap, key=topic_data.key)
                _save(
                    topic,
                    {
                        "section": section,
                        "position": t_position,
                        "title": topic_data.title,
                        "summary": topic_data.summary,
                        "kind": topic_data.kind,
                        "retired_at": None,
                    },
                    report,
                )
                resources.apply(topic_data.resources, topic=topic)

    gone = [t for key, t in topics.items() if key not in keys_in_file and t.retired_at is None]
    in_use = _topics_in_use([t.pk for t in gone])
    now = timezone.now()
    for topic in gone:
        if topic.pk in in_use:
            topic.retired_at, topic.section = now, None
            topic.save(update_fields=["retired_at", "section"])
            report.retired += 1
        else:
            topic.delete()
            report.deleted += 1
    resources.delete_leftovers()
    for row in [*sections.values(), *phases.values()]:
        row.delete()
        report.deleted += 1

    faqs = {faq.position: faq for faq in roadmap.faqs.all()}
    for position, faq_data in enumerate(data.faqs):
        faq = faqs.pop(position, None) or FAQ(roadmap=roadmap)
        _save(
            faq,
            {"position": position, "question": faq_data.question, "answer": faq_data.answer},
            report,
        )
    for faq in faqs.values():
        faq.delete()
        report.deleted += 1

    return report, roadmap, resources.new_urls


def _roadmaps_apply(parsed: list[RoadmapData]) -> list[ImportReport]:
    """Apply every roadmap, then say once which ones changed (inside the caller's transaction)."""
    reports, changed, urls = [], [], []
    for data in parsed:
        report, roadmap, new_urls = _roadmap_apply(data)
        reports.append(report)
        if report.changed:
            changed.append(roadmap)
            urls.extend(new_urls)
    roadmap_content_changed(roadmaps=changed, urls=urls)
    return reports


def content_files(paths: Iterable[Path | str]) -> list[Path]:
    """Expand directories to the *.yaml files inside them, in name order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        else:
            files.append(path)
    return files


def roadmap_import_files(paths: Iterable[Path | str]) -> list[ImportReport]:
    """Import content files all-or-nothing: any problem in any file changes nothing."""
    parsed: list[RoadmapData] = []
    problems: list[str] = []
    slugs: dict[str, str] = {}
    files = content_files(paths)
    if not files:
        raise ContentError(["no content files found (expected .yaml files)"])
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{path}: cannot read: {error}")
            continue
        try:
            data = roadmap_parse(text, source=str(path))
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if data.slug in slugs:
            problems.append(f"{path}: slug {data.slug!r} is also used by {slugs[data.slug]}")
        slugs[data.slug] = str(path)
        parsed.append(data)
    if problems:
        raise ContentError(problems)
    with transaction.atomic():
        return _roadmaps_apply(parsed)


def roadmap_import_text(text: str, *, source: str = "<text>") -> ImportReport:
    data = roadmap_parse(text, source=source)
    with transaction.atomic():
        [report] = _roadmaps_apply([data])
        return report


# --- Export ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key; PyYAML's default puts them flush left.
        return super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def _resources_out(rows: Iterable[Resource]) -> list[dict[str, Any]]:
    out = []
    for resource in rows:
        item: dict[str, Any] = {"kind": resource.kind, "title": resource.title, "url": resource.url}
        if resource.language != "en":
            item["language"] = resource.language
        if not resource.is_free:
            item["free"] = False
        if resource.author:
            item["author"] = resource.author
        out.append(item)
    return out


def _compact(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value not in ("", None, [])}


def _export_tree(roadmap: Roadmap) -> Iterator[tuple[Phase, list[tuple[Section, list[Topic]]]]]:
    phases = list(roadmap.phases.order_by("position", "id"))
    sections = list(Section.objects.filter(phase__roadmap=roadmap).order_by("position", "id"))
    topics = list(roadmap.topics.active().order_by("position", "id"))
    topics_by_section: dict[int, list[Topic]] = {}
    for topic in topics:
        topics_by_section.setdefault(topic.section_id or 0, []).append(topic)
    sections_by_phase: dict[int, list[Section]] = {}
    for section in sections:
        sections_by_phase.setdefault(section.phase_id, []).append(section)
    for phase in phases:
        yield (
            phase,
            [(s, topics_by_section.get(s.pk, [])) for s in sections_by_phase.get(phase.pk, [])],
        )


def roadmap_export(roadmap: Roadmap) -> str:
    resources = list(roadmap.resources.order_by("position", "id"))
    by_owner: dict[tuple[str, int | None], list[Resource]] = {}
    for resource in resources:
        if resource.topic_id:
            owner: tuple[str, int | None] = ("topic", resource.topic_id)
        elif resource.phase_id:
            owner = ("phase", resource.phase_id)
        else:
            owner = ("roadmap", None)
        by_owner.setdefault(owner, []).append(resource)

    phases_out = []
    for phase, sections in _export_tree(roadmap):
        sections_out = []
        for section, topics in sections:
            topics_out = []
            for topic in topics:
                item: dict[str, Any] = {"key": topic.key, "title": topic.title}
                if topic.summary:
                    item["summary"] = topic.summary
                if topic.kind != Topic.Kind.TOPIC:
                    item["kind"] = topic.kind
                topic_resources = _resources_out(by_owner.get(("topic", topic.pk), []))
                if topic_resources:
                    item["resources"] = topic_resources
                topics_out.append(item)
            sections_out.append({"title": section.title, "topics": topics_out})
        months = (
            f"{phase.min_months}-{phase.max_months}"
            if phase.min_months is not None and phase.max_months is not None
            else None
        )
        phases_out.append(
            _compact(
                {
                    "title": phase.title,
                    "level": phase.level,
                    "label": phase.level_label,
                    "months": months,
                    "summary": phase.summary,
                    "resources": _resources_out(by_owner.get(("phase", phase.pk), [])),
                    "sections": sections_out,
                }
            )
        )

    document = _compact(
        {
            "format": FORMAT_VERSION,
            "slug": roadmap.slug,
            "title": roadmap.title,
            "edition": roadmap.edition,
            "status": roadmap.status,
            "category": roadmap.category,
            "summary": roadmap.summary,
            "description": roadmap.description,
            "completion_message": roadmap.completion_message,
            "resources": _resources_out(by_owner.get(("roadmap", None), [])),
            "phases": phases_out,
            "faqs": [
                {"question": faq.question, "answer": faq.answer}
                for faq in roadmap.faqs.order_by("position", "id")
            ],
        }
    )
    body = yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    return FILE_HEADER + body
