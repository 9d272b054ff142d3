"""Importing content files without ever overwriting the editors' work.

The database is the source of truth; files seed, exchange and restore roadmaps. Each roadmap
remembers the SHA-256 of the file content it was last imported from and its content version
right after that import (`Roadmap.source_*`). For each file:

- unchanged since its roadmap's last import: skipped (read and hashed, never parsed);
- a roadmap that does not exist yet: created;
- changed, and the roadmap not edited since its last import: applied;
- changed, and the roadmap edited since (admin, revert, publish; see the revisions): refused
  with a message saying who changed it and the two ways out; `force` applies it anyway, after
  keeping the state it replaces as a revision. Other roadmaps of the run still import.

Every file is read and validated completely first, and everything that is applied is applied in
one transaction: any problem in any file changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from roadmaps.changes import roadmap_content_changed
from roadmaps.content.apply import ImportReport, roadmap_apply
from roadmaps.content.reading import ContentError, size_check
from roadmaps.content.validation import ContentItem, roadmap_parse
from roadmaps.models import Revision, Roadmap
from roadmaps.revisions import revision_current_keep, revision_edits_since


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


@dataclass
class _File:
    path: Path
    text: str
    digest: str
    item: ContentItem | None = None


def _file_read(path: Path) -> _File:
    limit = settings.CONTENT_MAX_FILE_BYTES
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)  # never more than the limit, whatever the file claims
        size_check(len(data), source=str(path))
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError([f"{path}: cannot read: {error}"]) from None
    return _File(path=path, text=text, digest=hashlib.sha256(data).hexdigest())


def _when(moment: Any) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _refusal(roadmap: Roadmap, source: str) -> str:
    """Why `source` was not applied to `roadmap`, and the two ways out."""
    if roadmap.source_imported_at and roadmap.source_version is not None:
        edits = revision_edits_since(roadmap=roadmap, version=roadmap.source_version)
        since = f"its last import from a file ({_when(roadmap.source_imported_at)})"
        who = ", ".join(edits.who) or "unknown"
        changed = f"{edits.count} change{'s' if edits.count != 1 else ''} by {who}"
    else:
        since = "no import from a file on record"
        changed = "it differs from this file"
    return (
        f"{source}: not imported: roadmap {roadmap.slug!r} was changed in the database since "
        f"{since}: {changed}. The database is the source of truth. Either take its state into "
        f"the file: manage.py export_roadmap {roadmap.slug} --output {source} ; or replace it "
        f"with the file, keeping the replaced state as a revision: "
        f"manage.py import_roadmaps --force {source}"
    )


def _edited_since_import(roadmap: Roadmap) -> bool:
    if roadmap.source_version is None:
        return True
    return revision_edits_since(roadmap=roadmap, version=roadmap.source_version).count > 0


@dataclass
class _Applied:
    """A file applied in this run, announced with the others when all are written."""

    roadmap_id: int
    digest: str
    urls: list[str]
    message: str
    changed: bool


def _apply_one(
    file: _File, roadmap: Roadmap | None, applied: list[_Applied], *, force: bool
) -> ImportReport:
    """Apply one file (inside the run's transaction) unless its roadmap was edited since;
    what was applied is added to `applied`."""
    assert file.item is not None
    source = str(file.path)
    if roadmap is not None and force:
        revision_current_keep(roadmap=roadmap, message=f"kept before --force import of {source}")
    elif roadmap is not None and roadmap.source_version is None:
        # No import on record (a roadmap made in the admin, or before imports were recorded):
        # the file is adopted if applying it would change nothing, refused otherwise.
        savepoint = transaction.savepoint()
        report, _ = roadmap_apply(file.item)
        if report.changed:
            transaction.savepoint_rollback(savepoint)
            return ImportReport(slug=file.item.slug, refused=_refusal(roadmap, source))
        transaction.savepoint_commit(savepoint)
        _source_record(roadmap.pk, file.digest)
        return report
    elif roadmap is not None and _edited_since_import(roadmap):
        return ImportReport(slug=file.item.slug, refused=_refusal(roadmap, source))
    report, row = roadmap_apply(file.item)
    message = f"{'forced import' if force else 'imported'} from {source}"
    applied.append(_Applied(row.pk, file.digest, report.new_urls, message, report.changed))
    return report


def _announce(applied: list[_Applied]) -> None:
    """Say once, for the whole run, which roadmaps changed (one bump, a revision each with
    its file's message, one link-check hand-over after the commit: queueing per roadmap cost
    a commit, so a disk flush on SQLite, per roadmap), then record each file as imported."""
    changed = [done for done in applied if done.changed]
    if changed:
        roadmap_content_changed(
            roadmaps=[done.roadmap_id for done in changed],
            urls=[url for done in changed for url in done.urls],
            how=Revision.How.IMPORT,
            message={done.roadmap_id: done.message for done in changed},
        )
    for done in applied:
        _source_record(done.roadmap_id, done.digest)


def _source_record(roadmap_id: int, digest: str) -> None:
    """Remember the file content and the content version right after this import."""
    Roadmap.objects.filter(pk=roadmap_id).update(
        source_hash=digest, source_version=F("content_version"), source_imported_at=timezone.now()
    )


def _files_parse(files: list[_File], skipped: dict[str, Roadmap]) -> list[str]:
    """Parse the files that changed since their last import; returns every problem found."""
    problems: list[str] = []
    slugs: dict[str, str] = {}
    for file in files:
        if file.digest in skipped:
            slug = skipped[file.digest].slug
        else:
            try:
                file.item = roadmap_parse(file.text, source=str(file.path))
            except ContentError as error:
                problems.extend(error.problems)
                continue
            slug = file.item.slug
        if slug in slugs:
            problems.append(f"{file.path}: slug {slug!r} is also used by {slugs[slug]}")
        slugs[slug] = str(file.path)
    return problems


def roadmap_import_files(paths: Iterable[Path | str], *, force: bool = False) -> list[ImportReport]:
    """Import content files (see the module's docstring); raises ContentError, changing
    nothing, if any file has a problem. Reports with `refused` set name the files refused."""
    files = content_files(paths)
    if not files:
        raise ContentError(["no content files found (expected .yaml files)"])
    problems: list[str] = []
    read: list[_File] = []
    for path in files:
        try:
            read.append(_file_read(path))
        except ContentError as error:
            problems.extend(error.problems)
    skipped = {
        roadmap.source_hash: roadmap
        for roadmap in Roadmap.objects.filter(source_hash__in=[file.digest for file in read])
    }
    problems.extend(_files_parse(read, skipped))
    if problems:
        raise ContentError(problems)
    reports = {
        file.path: ImportReport(slug=skipped[file.digest].slug, skipped=True)
        for file in read
        if file.item is None
    }
    changed = [file for file in read if file.item is not None]
    if changed:
        with transaction.atomic():
            slugs = [file.item.slug for file in changed if file.item]
            existing = Roadmap.objects.in_bulk(slugs, field_name="slug")
            applied: list[_Applied] = []
            for file in changed:
                assert file.item is not None
                roadmap = existing.get(file.item.slug)
                reports[file.path] = _apply_one(file, roadmap, applied, force=force)
            _announce(applied)
    return [reports[file.path] for file in read]


def roadmap_replace(
    text: str,
    *,
    source: str,
    how: str,
    user: Any = None,
    message: str = "",
    values: dict[str, Any] | None = None,
) -> tuple[ImportReport, Roadmap]:
    """Apply a content file's text to its roadmap unconditionally and all-or-nothing, `values`
    replacing the file's own roadmap fields (e.g. the slug and status of a draft copy). For
    reverts, drafts and publishing: the roadmap's recorded file source is left as it was, so a
    changed file is refused afterwards."""
    size_check(len(text.encode("utf-8")), source=source)
    item = roadmap_parse(text, source=source)
    item.values.update(values or {})
    with transaction.atomic():
        report, roadmap = roadmap_apply(item)
        if report.changed:
            roadmap_content_changed(
                roadmaps=[roadmap],
                urls=report.new_urls,
                how=how,
                user=user,
                message=message or source,
            )
    return report, roadmap


def roadmap_import_text(text: str, *, source: str = "<text>") -> ImportReport:
    """Apply one content file's text unconditionally (see `roadmap_replace`)."""
    report, _ = roadmap_replace(text, source=source, how=Revision.How.IMPORT)
    return report
