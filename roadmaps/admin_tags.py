"""The tag admin: editors name tags and give them slugs; roadmaps get their tags on their own
page (or in their content file). A tag is part of its roadmaps' content files, so renaming or
deleting one is announced as a content change of each roadmap that has it (their pages, the
catalog and the API show the new name at once, and their history records it)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Tag


def _roadmap_ids(tags: QuerySet[Any] | list[Tag]) -> list[int]:
    through = Tag.roadmaps.through
    ids = through.objects.filter(tag__in=tags).values_list("roadmap_id", flat=True)
    return sorted(set(ids))


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "roadmap_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(roadmap_total=Count("roadmaps"))

    @admin.display(description="Roadmaps", ordering="roadmap_total")
    def roadmap_count(self, tag: Tag) -> int:
        return tag.roadmap_total  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Tag, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            roadmap_content_changed(roadmaps=_roadmap_ids([obj]), user=request.user)

    def delete_model(self, request: HttpRequest, obj: Tag) -> None:
        ids = _roadmap_ids([obj])
        super().delete_model(request, obj)
        roadmap_content_changed(roadmaps=ids, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ids = _roadmap_ids(queryset)
        super().delete_queryset(request, queryset)
        roadmap_content_changed(roadmaps=ids, user=request.user)
