from __future__ import annotations

import pytest


@pytest.fixture
def queued_links(monkeypatch):
    """URLs handed to the link checker on commit (through roadmap_content_changed)."""
    queued: list[str] = []
    monkeypatch.setattr(
        "roadmaps.changes.links_queue_new", lambda *, urls: queued.extend(urls) or urls
    )
    return queued
