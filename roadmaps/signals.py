"""Content change notifications.

Every write to a roadmap's content (admin save, import, delete) bumps `Roadmap.updated_at` and
sends `roadmap_content_changed`, so caches (the API's serialized roadmap, page fragments) and the
link checker can react to one signal instead of watching six models.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

roadmap_content_changed = Signal()  # sent with roadmap_id=<int>


def roadmap_touch(roadmap_id: int | None) -> None:
    from roadmaps.models import Roadmap

    if roadmap_id is None:
        return
    Roadmap.objects.filter(pk=roadmap_id).bump_content_version()
    roadmap_content_changed.send(sender=Roadmap, roadmap_id=roadmap_id)


def _roadmap_id_of(instance: object) -> int | None:
    from roadmaps.models import Phase, Section

    if isinstance(instance, Section):
        return (
            Phase.objects.filter(pk=instance.phase_id).values_list("roadmap_id", flat=True).first()
        )
    return getattr(instance, "roadmap_id", None)


def _on_child_change(sender: type, instance: object, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return
    roadmap_touch(_roadmap_id_of(instance))


def _on_roadmap_change(sender: type, instance: object, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return
    from roadmaps.models import Roadmap

    roadmap_content_changed.send(sender=Roadmap, roadmap_id=getattr(instance, "pk", None))


def connect() -> None:
    from roadmaps.models import FAQ, Phase, Resource, Roadmap, Section, Topic

    for model in (Phase, Section, Topic, Resource, FAQ):
        post_save.connect(_on_child_change, sender=model, dispatch_uid=f"touch-{model.__name__}")
        post_delete.connect(
            _on_child_change, sender=model, dispatch_uid=f"touch-d-{model.__name__}"
        )
    post_save.connect(_on_roadmap_change, sender=Roadmap, dispatch_uid="roadmap-changed")
    post_delete.connect(_on_roadmap_change, sender=Roadmap, dispatch_uid="roadmap-deleted")


__all__ = ["connect", "roadmap_content_changed", "roadmap_touch"]
