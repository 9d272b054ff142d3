"""List filters of the editors' admin: which items are still on the roadmap, and what a resource
is attached to."""

from __future__ import annotations

from django.contrib import admin


class RetiredFilter(admin.SimpleListFilter):
    title = "on the roadmap"
    parameter_name = "retired"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("no", "Current items"), ("yes", "Retired items")]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() == "no":
            return queryset.filter(retired_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(retired_at__isnull=False)
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    title = "attached to"
    parameter_name = "owner"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("roadmap", "Whole roadmap"), ("phase", "A phase"), ("topic", "An item")]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() == "roadmap":
            return queryset.filter(phase__isnull=True, topic__isnull=True)
        if self.value() == "phase":
            return queryset.filter(phase__isnull=False)
        if self.value() == "topic":
            return queryset.filter(topic__isnull=False)
        return queryset
