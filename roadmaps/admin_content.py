"""The base of every roadmap content admin: each request that writes says so once.

`roadmaps.admin` registers the content admins on it; the helpers here find which roadmap a row
belongs to and which URLs a save brought in, so the change is announced with both.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.models import BaseModelFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Phase, Resource, Roadmap, Section


def edit_link(obj: object, label: str = "Edit") -> str:
    if not getattr(obj, "pk", None):
        return "-"
    meta = obj._meta  # type: ignore[attr-defined]
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])  # type: ignore[attr-defined]
    return format_html('<a href="{}">{}</a>', url, label)


def _roadmap_id_of(row: object) -> int | None:
    if isinstance(row, Roadmap):
        return row.pk
    if isinstance(row, Section):
        return row.phase.roadmap_id if row.phase_id else None
    return getattr(row, "roadmap_id", None)


def _roadmap_path(model: type[models.Model]) -> str:
    """The lookup from a content row to its roadmap's id."""
    if model is Roadmap:
        return "pk"
    return "phase__roadmap_id" if model is Section else "roadmap_id"


def _saved_urls(form: forms.ModelForm, formsets: list[BaseModelFormSet]) -> list[str]:
    """URLs of the resources this request created or whose URL it changed: checked soon."""
    urls = []
    if isinstance(form.instance, Resource) and "url" in form.changed_data:
        urls.append(form.instance.url)
    for formset in formsets:
        if formset.model is not Resource:
            continue
        urls.extend(row.url for row in formset.new_objects)
        urls.extend(row.url for row, fields in formset.changed_objects if "url" in fields)
    return urls


class ContentAdmin(admin.ModelAdmin):
    """An admin of roadmap content. Each request that writes says so once, after everything it
    writes (the row, its inlines, the renumbering): `roadmap_content_changed` moves the roadmap's
    content version on and queues link checks for new URLs after the commit."""

    def save_related(self, request, form, formsets, change) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        moved = {
            (row_form.instance._meta.label, row_form.instance.pk)
            for row_form in [form, *(f for formset in formsets for f in formset.forms)]
            if "position" in row_form.changed_data and row_form.instance.pk
        }
        self.renumber_children(form.instance, moved)
        roadmaps = [_roadmap_id_of(form.instance), *self._previous_roadmaps(form)]
        roadmap_content_changed(
            roadmaps=[pk for pk in roadmaps if pk],
            urls=_saved_urls(form, formsets),
            user=request.user,
        )

    def renumber_children(self, parent, moved: set[tuple[str, int]]) -> None:  # type: ignore[no-untyped-def]
        """Restore dense positions in the child lists this page edits (none by default)."""

    def _previous_roadmaps(self, form: forms.ModelForm) -> list[int]:
        """The roadmap a row was moved away from changed too."""
        if "roadmap" in form.changed_data and form.initial.get("roadmap"):
            return [form.initial["roadmap"]]
        if "phase" in form.changed_data and form.initial.get("phase"):
            previous = Phase.objects.filter(pk=form.initial["phase"])
            return list(previous.values_list("roadmap_id", flat=True))
        return []

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        roadmap_id = _roadmap_id_of(obj)
        super().delete_model(request, obj)
        roadmap_content_changed(roadmaps=[roadmap_id] if roadmap_id else [], user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The "delete selected" action runs outside the admin's own transaction.
        with transaction.atomic():
            roadmap_ids = list(queryset.values_list(_roadmap_path(queryset.model), flat=True))
            super().delete_queryset(request, queryset)
            roadmap_content_changed(roadmaps=roadmap_ids, user=request.user)
