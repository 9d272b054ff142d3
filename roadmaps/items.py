"""One item of a roadmap as its own page (`/roadmaps/<slug>/items/<key>/`), and the same item as
a fragment the roadmap page opens in a panel (static/js/items.js).

Read rules: learners reach items of published roadmaps only (drafts are 404 for them, as the
roadmap page is), and only active items that are listed in a section. The page is rendered per
request: it is small (one item), the body's HTML was rendered when the item was saved
(`Topic.body_html`), and the learner's own parts (status, the suggestion form) must never be
stored for anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from roadmaps.models import Resource, Roadmap, Topic


@dataclass
class ItemPage:
    roadmap: Roadmap
    topic: Topic
    resources: list[Resource]
    previous: tuple[str, str] | None  # (key, title) of the item before it on the roadmap
    next: tuple[str, str] | None


def item_page(request: HttpRequest, *, slug: str, key: str) -> ItemPage:
    """The item `key` of the roadmap `slug` as `request`'s person may see it, or Http404.
    Four queries: the roadmap, the item with its section and phase, its resources, and the
    keys and titles of the roadmap's items in reading order (for previous and next)."""
    roadmap = get_object_or_404(Roadmap.objects.visible_to(request.user), slug=slug)
    topic = get_object_or_404(
        Topic.objects.active().filter(section__isnull=False).select_related("section__phase"),
        roadmap=roadmap,
        key=key,
    )
    topic.roadmap = roadmap
    preferred_language = getattr(request.user, "preferred_language", "") or ""
    resources = list(
        Resource.objects.visible_to(request.user)
        .filter(topic=topic)
        .with_link_status()
        .in_reading_order(preferred_language=preferred_language)
    )
    order = list(
        Topic.objects.active()
        .filter(roadmap=roadmap, section__isnull=False)
        .order_by("section__phase__position", "section__position", "position", "id")
        .values_list("key", "title")
    )
    index = next(n for n, (each, _) in enumerate(order) if each == topic.key)
    return ItemPage(
        roadmap=roadmap,
        topic=topic,
        resources=resources,
        previous=order[index - 1] if index > 0 else None,
        next=order[index + 1] if index + 1 < len(order) else None,
    )
