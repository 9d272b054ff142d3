"""Reading a checkout of the old Next.js site: every app/Roadmaps/<Name>/ directory becomes one
content document (the dict a content file holds), with its report.

The slug is the directory name as a slug (app/Roadmaps/Flask -> flask), so the same checkout
always gives the same slugs and keys, and importing again updates instead of duplicating.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from roadmaps.migrating import extras
from roadmaps.migrating.common import Tally, clean_text, fit
from roadmaps.migrating.items import key_base
from roadmaps.migrating.javascript import data_value, js_module
from roadmaps.migrating.report import MigrationReport
from roadmaps.migrating.roadmap import RoadmapBuilder

ROADMAPS_DIR = Path("app/Roadmaps")
CATALOG_FILE = Path("app/RoadmapPage/roadmapsData.js")
CATALOG_FIELDS: tuple[str, ...] = ("title", "description", "category", "link", "href", "path")
CATALOG_FIELDS += ("slug", "featured", "trending", "tags")
CATALOG_REASONS: dict[str, str] = {}
MAX_TAGS = 12
_DATA_NAMES = ("roadmapData.js", "roadmapData.jsx", "roadmapData.json")


@dataclass
class SiteRoadmap:
    slug: str
    document: dict[str, Any]
    report: MigrationReport


def _first(directory: Path, names: tuple[str, ...]) -> Path | None:
    return next((directory / name for name in names if (directory / name).is_file()), None)


def _read(path: Path, repository: Path, report: MigrationReport, **wanted: Any) -> Any:
    """The file's data (see `data_value`), or its page texts with `page=True`; what could not
    be read and what was left out go to the report."""
    module = js_module(path)
    relative = path.relative_to(repository)
    if wanted.get("page"):
        data: Any = extras.page_texts(module)
    else:
        data = data_value(module, wanted=wanted["keys"])
    report.refused.extend(error.replace(str(path), str(relative), 1) for error in module.errors)
    report.dropped.extend(f"{relative}, {note}" for note in module.dropped)
    return data


def _catalog(repository: Path, report: MigrationReport) -> dict[str, dict[str, Any]]:
    """Catalog entries by the slug of the roadmap they link to (or of their title)."""
    path = repository / CATALOG_FILE
    if not path.is_file():
        report.notes.append(f"{CATALOG_FILE} not found: no catalog summaries or categories")
        return {}
    data = _read(path, repository, report, keys=("title",))
    tally = Tally()
    entries: dict[str, dict[str, Any]] = {}
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, dict):
            continue
        tally.drop(str(CATALOG_FILE), entry, CATALOG_FIELDS)
        link = clean_text(entry.get("link") or entry.get("href") or entry.get("path"))
        name = link.rstrip("/").rsplit("/", 1)[-1] if link else clean_text(entry.get("slug"))
        for slug in (key_base(name), key_base(clean_text(entry.get("title")))):
            if slug:
                entries.setdefault(slug, entry)
    tally.flush(report, CATALOG_REASONS)
    return entries


def _roadmap_fields(slug: str, name: str, catalog: dict[str, Any], report: MigrationReport):
    entry = catalog.get(slug) or catalog.get(f"{slug}-roadmap") or {}
    if not entry:
        report.notes.append("no catalog entry: no summary or category")
    document: dict[str, Any] = {"format": 1, "slug": slug}
    document["title"] = clean_text(entry.get("title")) or f"{name} Roadmap"
    document["status"] = "published"
    category = clean_text(entry.get("category"))
    if category:
        document["category"] = fit(category, 80, where="catalog category", report=report)
    for flag in ("featured", "trending"):
        value = entry.get(flag)
        if value is True:
            document[flag] = True
        elif value not in (None, False):
            report.refused.append(f"catalog {flag}: {value!r} is not true or false, left out")
    tags = _tags(entry.get("tags"), report)
    if tags:
        document["tags"] = tags
    summary = clean_text(entry.get("description"))
    if summary:
        document["summary"] = fit(summary, 300, where="catalog description", report=report)
    return document


def _tags(value: Any, report: MigrationReport) -> list[str]:
    """The catalog entry's tags: text values, once per slug, in the order export writes them."""
    if value is None:
        return []
    if not isinstance(value, list):
        report.refused.append(f"catalog tags: {value!r} is not a list, left out")
        return []
    names: dict[str, str] = {}
    for raw in value:
        name = clean_text(raw) if isinstance(raw, str) else ""
        if not slugify(name):
            report.refused.append(f"catalog tags: {raw!r} is not a tag name, left out")
        elif slugify(name) in names:
            report.renamed.append(
                f"catalog tags: {raw!r} repeats {names[slugify(name)]!r}, left out"
            )
        elif len(names) == MAX_TAGS:
            report.dropped.append(f"catalog tags: {raw!r} is past the first {MAX_TAGS}, left out")
        else:
            names[slugify(name)] = fit(name, 50, where="catalog tag", report=report)
    return sorted(names.values(), key=lambda name: (name.casefold(), slugify(name)))


def _page(directory: Path, repository: Path, document: dict, report: MigrationReport) -> None:
    path = _first(directory, ("page.jsx", "page.js", "page.tsx"))
    if path is None:
        report.notes.append("no page.jsx: title from the catalog, no completion message")
        return
    texts = _read(path, repository, report, page=True)
    for key, limit in (("title", 200), ("edition", 40)):
        if texts.get(key):
            document[key] = fit(texts[key], limit, where=f"page.jsx {key}", report=report)
    if texts.get("completion_message"):
        document["completion_message"] = texts["completion_message"]


def _site_roadmap(directory: Path, repository: Path, catalog: dict) -> SiteRoadmap | None:
    slug = key_base(directory.name)
    report = MigrationReport(name=slug or directory.name)
    data_path = _first(directory, _DATA_NAMES)
    if data_path is None or not slug:
        return None
    document = _roadmap_fields(slug, directory.name, catalog, report)
    _page(directory, repository, document, report)
    builder = RoadmapBuilder(report)
    relative = str(data_path.relative_to(repository))
    phases_data = _read(data_path, repository, report, keys=("sections",))
    phases = builder.phases(phases_data, source=relative)
    readers = (
        (("docs.jsx", "docs.js"), ("url",), "resources"),
        (("projects.jsx", "projects.js"), ("title", "name"), "projects"),
        (("faq.jsx", "Faq.jsx", "FAQ.jsx", "faq.js"), ("question",), "faqs"),
    )
    for names, wanted, what in readers:
        path = _first(directory, names)
        if path is None:
            continue
        data = _read(path, repository, report, keys=wanted)
        source = str(path.relative_to(repository))
        if what == "resources":
            document["resources"] = extras.resources(builder, data, source=source)
        elif what == "projects":
            extras.add_projects(builder, phases, data, source=source)
        else:
            document["faqs"] = extras.faqs(builder, data, source=source)
    document["phases"] = phases
    if not document.get("resources"):
        document.pop("resources", None)
    return SiteRoadmap(slug=slug, document=_ordered(document), report=report)


_ROADMAP_ORDER = (
    "format", "slug", "title", "edition", "status", "category", "featured", "trending",
    "tags", "summary", "description",
    "completion_message", "resources", "phases", "faqs",
)  # fmt: skip


def _ordered(document: dict[str, Any]) -> dict[str, Any]:
    """Keys in the order export writes them, so --out files are already canonical."""
    return {key: document[key] for key in _ROADMAP_ORDER if key in document}


def roadmaps_from_repository(repository: Path) -> tuple[list[SiteRoadmap], MigrationReport]:
    """Every roadmap of the checkout, in directory-name order, and the report of the
    repository-wide files (the catalog)."""
    general = MigrationReport(name="catalog")
    roadmaps_dir = repository / ROADMAPS_DIR
    if not roadmaps_dir.is_dir():
        general.refused.append(f"{ROADMAPS_DIR} not found: is {repository} a checkout of the site?")
        return [], general
    catalog = _catalog(repository, general)
    found: dict[str, SiteRoadmap] = {}
    for directory in sorted(p for p in roadmaps_dir.iterdir() if p.is_dir()):
        site_roadmap = _site_roadmap(directory, repository, catalog)
        if site_roadmap is None:
            general.notes.append(f"{directory.relative_to(repository)}: no roadmapData, skipped")
        elif site_roadmap.slug in found:
            general.refused.append(
                f"{directory.relative_to(repository)}: slug {site_roadmap.slug!r} is already "
                "used by another directory, skipped"
            )
        else:
            found[site_roadmap.slug] = site_roadmap
    return list(found.values()), general
