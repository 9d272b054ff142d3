"""Importing content files: read and validate every file completely, then apply all of them in
one transaction and say once which roadmaps changed. Any problem in any file changes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from roadmaps.changes import roadmap_content_changed
from roadmaps.content.apply import ImportReport, roadmap_apply
from roadmaps.content.reading import ContentError, size_check
from roadmaps.content.validation import ContentItem, roadmap_parse


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


def _file_parse(path: Path) -> ContentItem:
    limit = settings.CONTENT_MAX_FILE_BYTES
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)  # never more than the limit, whatever the file claims
        size_check(len(data), source=str(path))
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError([f"{path}: cannot read: {error}"]) from None
    return roadmap_parse(text, source=str(path))


def _roadmaps_apply(items: list[ContentItem]) -> list[ImportReport]:
    """Apply every roadmap, then bump each changed one once and queue its new URLs on commit."""
    reports, changed, urls = [], [], []
    for item in items:
        report, roadmap = roadmap_apply(item)
        reports.append(report)
        if report.changed:
            changed.append(roadmap)
            urls.extend(report.new_urls)
    roadmap_content_changed(roadmaps=changed, urls=urls)
    return reports


def roadmap_import_files(paths: Iterable[Path | str]) -> list[ImportReport]:
    """Import content files all-or-nothing: any problem in any file changes nothing."""
    files = content_files(paths)
    if not files:
        raise ContentError(["no content files found (expected .yaml files)"])
    items: list[ContentItem] = []
    problems: list[str] = []
    slugs: dict[str, str] = {}
    for path in files:
        try:
            item = _file_parse(path)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if item.slug in slugs:
            problems.append(f"{path}: slug {item.slug!r} is also used by {slugs[item.slug]}")
        slugs[item.slug] = str(path)
        items.append(item)
    if problems:
        raise ContentError(problems)
    with transaction.atomic():
        return _roadmaps_apply(items)


def roadmap_import_text(text: str, *, source: str = "<text>") -> ImportReport:
    size_check(len(text.encode("utf-8")), source=source)
    item = roadmap_parse(text, source=source)
    with transaction.atomic():
        [report] = _roadmaps_apply([item])
        return report
