"""The course catalog in the admin: editors add courses, link them to roadmaps, publish or hide
them, and see what the link checker found at each course's address.

Every write here ends with the one `roadmap_pages_changed` call: the roadmaps that show the
course (before and after the edit) change for learners, and a saved URL is queued for the link
checker after the commit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from courses.models import Course, CourseCategory
from roadmaps.changes import roadmap_pages_changed
from roadmaps.models import LinkStatus


def _ids(roadmaps: Any) -> set[int]:
    """Roadmap ids from a form's initial or cleaned value (rows or ids)."""
    return {getattr(roadmap, "pk", roadmap) for roadmap in roadmaps or ()}


@admin.register(CourseCategory)
class CourseCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "course_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[CourseCategory]:
        return super().get_queryset(request).annotate(_courses=Count("courses"))

    @admin.display(description="Courses", ordering="_courses")
    def course_count(self, category: CourseCategory) -> int:
        return getattr(category, "_courses", 0)

    def save_model(
        self, request: HttpRequest, obj: CourseCategory, form: ModelForm, change: bool
    ) -> None:  # type: ignore[override]
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # Course cards on roadmap pages show the category's name.
            through = Course.roadmaps.through.objects.filter(course__category=obj)
            roadmap_pages_changed(roadmaps=set(through.values_list("roadmap_id", flat=True)))


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "channel",
        "category",
        "language",
        "level",
        "is_free",
        "featured",
        "is_published",
        "link",
    ]
    list_filter = [
        "is_published",
        "featured",
        "category",
        "language",
        "level",
        "is_free",
        ("roadmaps", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["category"]
    search_fields = ["title", "channel", "key", "url"]
    prepopulated_fields = {"key": ("title",)}
    filter_horizontal = ["roadmaps"]
    readonly_fields = ["link_status", "roadmap_pages"]
    fieldsets = [
        (None, {"fields": ["title", "key", "channel", "url", "link_status"]}),
        ("Catalog", {"fields": ["category", "language", "level", "is_free", "rating", "badge"]}),
        ("Listing", {"fields": ["is_published", "featured", "position"]}),
        ("Roadmaps", {"fields": ["roadmaps", "roadmap_pages"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Course]:
        result = LinkStatus.objects.for_url(OuterRef("url")).shown_result()
        return (
            super()
            .get_queryset(request)
            .annotate(_link=Subquery(result.values("shown_result")[:1]))  # type: ignore[misc]
        )

    @admin.display(description="Link", ordering="_link")
    def link(self, course: Course) -> str:
        return getattr(course, "_link", None) or "not checked"

    @admin.display(description="Link check")
    def link_status(self, course: Course) -> str:
        status = LinkStatus.objects.filter(url=course.url).first() if course.pk else None
        if status is None:
            return "Not checked yet: the link checker checks new addresses after you save."
        return format_html(
            '{} <a href="{}">(details)</a>',
            status.get_result_display() if status.result else "Not checked yet",
            reverse("admin:roadmaps_linkstatus_change", args=[status.pk]),
        )

    @admin.display(description="Shown on")
    def roadmap_pages(self, course: Course) -> str:
        roadmaps = list(course.roadmaps.all()) if course.pk else []
        if not roadmaps:
            return "No roadmap page yet: choose roadmaps above."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> (<a href="{}">edit</a>)</li>',
                (
                    (
                        r.get_absolute_url(),
                        r.display_title,
                        reverse("admin:roadmaps_roadmap_change", args=[r.pk]),
                    )
                    for r in roadmaps
                ),
            ),
        )

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:  # type: ignore[override]
        super().save_related(request, form, formsets, change)
        before = _ids(form.initial.get("roadmaps")) if change else set()
        after = _ids(form.cleaned_data.get("roadmaps"))
        # A saved change shows on every roadmap page the course is or was on; a save that
        # changed nothing touches no roadmap.
        touched = before | after if (not change or form.changed_data) else set()
        roadmap_pages_changed(
            roadmaps=touched,
            urls=[form.instance.url] if (not change or "url" in form.changed_data) else [],
        )

    def delete_model(self, request: HttpRequest, obj: Course) -> None:
        roadmap_ids = list(obj.roadmaps.values_list("pk", flat=True))
        super().delete_model(request, obj)
        roadmap_pages_changed(roadmaps=roadmap_ids)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        # The "delete selected" action runs outside the admin's own transaction.
        with transaction.atomic():
            roadmap_ids = list(queryset.values_list("roadmaps", flat=True))
            super().delete_queryset(request, queryset)
            roadmap_pages_changed(roadmaps=[pk for pk in roadmap_ids if pk])
