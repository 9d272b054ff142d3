"""Mapping a roadmap's other files: docs.jsx (resources), projects.jsx (project items),
faq.jsx (FAQs), page.jsx (heading and completion message) and its catalog entry."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from roadmaps.choices import Level
from roadmaps.migrating.common import clean_text, fit, http_url
from roadmaps.migrating.javascript import JsModule, jsx_attributes, jsx_texts
from roadmaps.migrating.roadmap import RoadmapBuilder

DOC_FIELDS = ("title", "url", "citation", "author", "description")
FAQ_FIELDS = ("question", "answer", "category")
PROJECT_FIELDS = ("title", "name", "description")
EXTRA_REASONS = {
    "tags": "no roadmap tags in the content format yet",
}
_EDITION = re.compile(r"\s*\(?\s*(\d{4})\s+edition\s*\)?\s*$", re.IGNORECASE)
_VIDEO_HOSTS = ("youtube.com", "www.youtube.com", "youtu.be", "m.youtube.com")


def resources(builder: RoadmapBuilder, data: Any, *, source: str) -> list[dict[str, Any]]:
    report, found, seen = builder.report, [], set()
    for index, entry in enumerate(data if isinstance(data, list) else []):
        where = f"{source} [{index}]"
        if not isinstance(entry, dict):
            report.refused.append(f"{where}: not an object, left out")
            continue
        builder.tally.drop(source, entry, DOC_FIELDS)
        url = http_url(entry.get("url") or entry.get("link"))
        title = clean_text(entry.get("title"))
        if url is None or not title:
            what = "no title" if url else f"URL {entry.get('url')!r} is not an http(s) address"
            report.refused.append(f"{where}: {what}, left out")
            continue
        if url in seen:
            report.refused.append(f"{where}: URL {url} is listed twice, second left out")
            continue
        seen.add(url)
        host = (urlsplit(url).hostname or "").lower()
        resource = {"kind": "video_course" if host in _VIDEO_HOSTS else "official_docs"}
        resource.update(title=fit(title, 200, where=where, report=report), url=url)
        author = clean_text(entry.get("citation") or entry.get("author"))
        if author:
            resource["author"] = fit(author, 120, where=f"{where} citation", report=report)
        description = clean_text(entry.get("description"))
        if description:
            resource["description"] = fit(description, 500, where=where, report=report)
        report.count("resources")
        found.append(resource)
    builder.tally.flush(report, EXTRA_REASONS)
    return found


def _project_lists(data: Any) -> list[tuple[str | None, list[Any]]]:
    """[(level or None, projects)]: a list, or an object keyed by level."""
    if isinstance(data, list):
        return [(None, data)]
    if isinstance(data, dict):
        lists = []
        for key, value in data.items():
            level = next((lvl for lvl in Level.values if lvl.startswith(key.lower()[:5])), None)
            lists.append((level, value if isinstance(value, list) else []))
        return lists
    return []


def add_projects(builder: RoadmapBuilder, phases: list[dict], data: Any, *, source: str) -> None:
    """Projects become `project` items in a "Projects" section of the last phase of their
    level (the last phase when the file does not say a level)."""
    for level, projects in _project_lists(data):
        phase = next((p for p in reversed(phases) if level in (None, p.get("level"))), None)
        if phase is None:
            phase = phases[-1] if phases else None
        if phase is None:
            builder.report.refused.append(f"{source}: projects but no phases to put them in")
            return
        topics: list[dict[str, Any]] = []
        for index, entry in enumerate(projects):
            where = f"{source} {level or ''}[{index}]".replace(" [", "[")
            if isinstance(entry, dict):
                builder.tally.drop(source, entry, PROJECT_FIELDS)
                title = clean_text(entry.get("title") or entry.get("name"))
                summary = clean_text(entry.get("description"))
            else:
                title, summary = clean_text(entry), ""
            if not title:
                builder.report.refused.append(f"{where}: a project without a title, left out")
                continue
            topics.append(builder.topic(title, summary, "project", section="projects", where=where))
        if topics:
            phase["sections"].append({"title": "Projects", "topics": topics})
            builder.report.count("sections")
    builder.tally.flush(builder.report, {})
    builder.report.renamed.extend(builder.keys.renamed)
    builder.keys.renamed.clear()


def _faq_entries(data: Any) -> list[tuple[dict[str, Any], str]]:
    """(entry, where) pairs, flattening [{category, questions: [...]}] groups."""
    entries: list[tuple[dict[str, Any], str]] = []
    for index, entry in enumerate(data if isinstance(data, list) else []):
        group = entry.get("questions") or entry.get("faqs") if isinstance(entry, dict) else None
        if isinstance(group, list):
            category = entry.get("category") or entry.get("title")
            entries.extend(
                ({"category": category, **inner}, f"[{index}][{number}]")
                for number, inner in enumerate(group)
                if isinstance(inner, dict)
            )
        elif isinstance(entry, dict):
            entries.append((entry, f"[{index}]"))
    return entries


def faqs(builder: RoadmapBuilder, data: Any, *, source: str) -> list[dict[str, Any]]:
    found = []
    for entry, index in _faq_entries(data):
        where = f"{source} {index}"
        builder.tally.drop(source, entry, FAQ_FIELDS)
        question, answer = clean_text(entry.get("question")), clean_text(entry.get("answer"))
        if not question or not answer:
            builder.report.refused.append(f"{where}: no question or no literal answer, left out")
            continue
        question = fit(question, 300, where=where, report=builder.report)
        faq = {"question": question, "answer": answer}
        category = clean_text(entry.get("category"))
        if category:
            faq["category"] = fit(category, 80, where=f"{where} category", report=builder.report)
        found.append(faq)
        builder.report.count("faqs")
    builder.tally.flush(builder.report, EXTRA_REASONS)
    return found


def page_texts(module: JsModule) -> dict[str, str]:
    """title, edition and completion_message from a page.jsx, where it has them."""
    out: dict[str, str] = {}
    attributes = jsx_attributes(
        module, ("title", "heading", "completionTitle", "completionMessage", "completionText")
    )
    headings = jsx_texts(module, "h1")
    heading = headings[0] if headings else attributes.get("heading") or attributes.get("title")
    if heading:
        match = _EDITION.search(heading)
        out["title"] = heading[: match.start()].strip() if match else heading
        if match:
            out["edition"] = match[1]
    headline = attributes.get("completionTitle") or next(
        (
            t
            for tag in ("h2", "h3")
            for t in jsx_texts(module, tag)
            if "congratulations" in t.lower()
        ),
        "",
    )
    body = attributes.get("completionMessage") or attributes.get("completionText") or ""
    message = "\n".join(part for part in (headline, body) if part)
    if message:
        out["completion_message"] = message
    return out
