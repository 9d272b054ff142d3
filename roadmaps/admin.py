"""The editors' workspace: a roadmap with its phases on one screen, a phase with its sections,
a section with its items, resources and FAQs everywhere they belong.

Editors reorder by typing positions in the inlines (e.g. give an item 3 to move it before the
item now at 3); on save the positions are made dense again (0, 1, 2, ...). Topic keys never
change with the order.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from roadmaps.admin_content import ContentAdmin, edit_link
from roadmaps.admin_drafts import RoadmapDraftsMixin
from roadmaps.admin_filters import OwnerFilter, RetiredFilter
from roadmaps.admin_history import RoadmapHistoryMixin
from roadmaps.admin_items import TopicBodyMixin
from roadmaps.admin_safety import (
    ItemsOnDeleteMixin,
    LanguageChoiceMixin,
    RenameKeyMixin,
    TopicInlineForm,
    roadmaps_with_learners,
)
from roadmaps.admin_tags import TagAdmin  # noqa: F401  (registers the tag admin)
from roadmaps.changes import roadmap_content_changed

# Link health (the LinkStatus admin) lives next to the link checker; this import also registers
# it when the admin autodiscovers this module.
from roadmaps.linkcheck.admin import broken_link_count as _broken_link_count
from roadmaps.linkcheck.admin import link_badge
from roadmaps.models import (
    FAQ,
    LinkStatus,
    Phase,
    Resource,
    Roadmap,
    Section,
    Topic,
)
from roadmaps.ordering import renumber

# --- Inlines ----------------------------------------------------------------------------------


PHASE_DURATION_FIELDS = ("duration_min", "duration_max", "duration_unit", "duration_label")


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = [
        "position",
        "title",
        "level",
        "level_label",
        *PHASE_DURATION_FIELDS,
        "sections_link",
    ]
    readonly_fields = ["sections_link"]
    ordering = ["position"]
    show_change_link = True

    @admin.display(description="Sections and items")
    def sections_link(self, phase: Phase) -> str:
        return edit_link(phase, "Edit sections")


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "title", "items_link"]
    readonly_fields = ["items_link"]
    ordering = ["position"]

    @admin.display(description="Items")
    def items_link(self, section: Section) -> str:
        return edit_link(section, "Edit items")


class TopicInline(admin.TabularInline):
    model = Topic
    form = TopicInlineForm
    extra = 0
    fields = ["position", "key", "title", "summary", "kind"]
    ordering = ["position"]
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).filter(retired_at__isnull=True)


class ResourceInlineBase(LanguageChoiceMixin, admin.TabularInline):
    model = Resource
    extra = 0
    # The one-line description is written on the resource's own page (the change link): one
    # more column made the item page wider than a laptop window.
    fields = ["position", "kind", "title", "url", "language", "is_free", "author"]
    show_change_link = True
    ordering = ["position"]


class RoadmapResourceInline(ResourceInlineBase):
    verbose_name_plural = "Roadmap-wide resources"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Resource]:
        return super().get_queryset(request).filter(phase__isnull=True, topic__isnull=True)


class PhaseResourceInline(ResourceInlineBase):
    fk_name = "phase"
    verbose_name_plural = "Phase resources"


class TopicResourceInline(ResourceInlineBase):
    fk_name = "topic"
    verbose_name_plural = "Item resources"


class FAQInline(admin.StackedInline):
    model = FAQ
    extra = 0
    fields = ["position", "category", "question", "answer"]
    ordering = ["position"]


# --- Roadmap ----------------------------------------------------------------------------------


def _child_count(rows: QuerySet[Any]) -> Coalesce:
    """How many of `rows` belong to the outer roadmap row, as a subquery."""
    counted = rows.filter(roadmap=OuterRef("pk")).order_by().values("roadmap")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0)


@admin.register(Roadmap)
class RoadmapAdmin(RoadmapHistoryMixin, RoadmapDraftsMixin, ContentAdmin):
    list_display = [
        "display_title",
        "category",
        "status",
        "phase_count",
        "topic_count",
        "broken_links",
        "updated_at",
    ]
    list_filter = ["status", "category", "featured", "trending"]
    search_fields = ["title", "slug", "summary", "category"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    readonly_fields = ["published_at", "created_at", "updated_at", "broken_links"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "edition",
                    "slug",
                    "status",
                    "category",
                    ("featured", "trending"),
                    "tags",
                    "broken_links",
                ]
            },
        ),
        ("Texts", {"fields": ["summary", "description", "completion_message"]}),
        (
            "History",
            {"fields": ["published_at", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
    inlines = [PhaseInline, RoadmapResourceInline, FAQInline]
    actions = ["publish", "unpublish", "archive"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Roadmap]:
        # One correlated subquery per figure: joining phases and topics for Count() multiplied
        # the rows (and ran the broken-links subquery once per joined row: 11-21 s for three
        # roadmaps); the list is now one query whatever the roadmaps' sizes.
        return (
            super()
            .get_queryset(request)
            .annotate(
                _phase_count=_child_count(Phase.objects.all()),
                _topic_count=_child_count(Topic.objects.active()),
                _broken_links=_broken_link_count(),
            )
        )

    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        roadmaps_with_learners(request, list(objs), protected)
        return deleted, model_count, perms_needed, protected

    @admin.display(description="Broken links", ordering="_broken_links")
    def broken_links(self, roadmap: Roadmap) -> str:
        count = getattr(roadmap, "_broken_links", None)
        if count is None:  # the add page, or a row fetched without the annotation
            if not roadmap.pk:
                return "-"
            count = LinkStatus.objects.broken_for_learners().for_roadmap(roadmap).count()
        if not count:
            return "0"
        url = reverse("admin:roadmaps_linkstatus_changelist")
        return format_html(
            '<a href="{}?roadmap={}&amp;confirmed_broken__exact=1">{} broken link{}</a>',
            url,
            roadmap.slug,
            count,
            "" if count == 1 else "s",
        )

    @admin.display(description="Roadmap", ordering="title")
    def display_title(self, roadmap: Roadmap) -> str:
        return str(roadmap)  # names draft copies as such

    @admin.display(description="Phases", ordering="_phase_count")
    def phase_count(self, roadmap: Roadmap) -> int:
        return roadmap._phase_count  # type: ignore[attr-defined]

    @admin.display(description="Items", ordering="_topic_count")
    def topic_count(self, roadmap: Roadmap) -> int:
        return roadmap._topic_count  # type: ignore[attr-defined]

    def renumber_children(self, roadmap: Roadmap, moved: set[tuple[str, int]]) -> None:
        renumber(roadmap.phases.order_by("position", "id"), moved=moved)
        renumber(roadmap.faqs.order_by("position", "id"), moved=moved)
        renumber(
            roadmap.resources.filter(phase=None, topic=None).order_by("position", "id"), moved=moved
        )

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Roadmap], status: str) -> None:
        changed = []
        with transaction.atomic():
            for roadmap in queryset.order_by("pk"):
                if roadmap.draft_of_id and status != Roadmap.Status.DRAFT:
                    continue  # a draft copy is published over its original (its own page)
                if roadmap.status != status:
                    roadmap.status = status
                    roadmap.save()
                    changed.append(roadmap)
            roadmap_content_changed(roadmaps=changed, user=request.user)
        count = len(changed)
        label = Roadmap.Status(status).label.lower()
        self.message_user(request, f"{count} roadmap(s) now {label}.", messages.SUCCESS)

    @admin.action(description="Publish selected roadmaps", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Roadmap]) -> None:
        self._set_status(request, queryset, Roadmap.Status.PUBLISHED)

    @admin.action(description="Unpublish (back to draft)", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Roadmap]) -> None:
        self._set_status(request, queryset, Roadmap.Status.DRAFT)

    @admin.action(
        description="Archive selected roadmaps (hidden from learners, progress kept)",
        permissions=["change"],
    )
    def archive(self, request: HttpRequest, queryset: QuerySet[Roadmap]) -> None:
        self._set_status(request, queryset, Roadmap.Status.ARCHIVED)


# --- Phase, Section, Topic --------------------------------------------------------------------


@admin.register(Phase)
class PhaseAdmin(ItemsOnDeleteMixin, ContentAdmin):
    list_display = ["__str__", "roadmap", "level", "level_label", "timeline"]
    list_filter = ["level", "roadmap"]
    list_select_related = ["roadmap"]
    search_fields = ["title", "summary", "roadmap__title"]
    autocomplete_fields = ["roadmap"]
    fields = [
        "roadmap",
        "position",
        "title",
        ("level", "level_label"),
        PHASE_DURATION_FIELDS[:3],
        "duration_label",
        "summary",
        "accent",
    ]
    inlines = [SectionInline, PhaseResourceInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A phase stays in its roadmap: its items' progress and keys belong there.
        return ["roadmap"] if obj is not None else []

    @admin.display(description="Time")
    def timeline(self, phase: Phase) -> str:
        return phase.timeline_text or "-"

    def renumber_children(self, phase: Phase, moved: set[tuple[str, int]]) -> None:
        renumber(phase.sections.order_by("position", "id"), moved=moved)
        renumber(phase.resources.order_by("position", "id"), moved=moved)
        renumber(phase.roadmap.phases.order_by("position", "id"), moved=moved)


@admin.register(Section)
class SectionAdmin(ItemsOnDeleteMixin, ContentAdmin):
    list_display = ["title", "phase", "roadmap_title"]
    list_filter = ["phase__roadmap"]
    list_select_related = ["phase__roadmap"]
    search_fields = ["title", "phase__title"]
    autocomplete_fields = ["phase"]
    fields = ["phase", "position", "title", "goal", "practice", "outcome", "tip"]
    inlines = [TopicInline]

    @admin.display(description="Roadmap", ordering="phase__roadmap__title")
    def roadmap_title(self, section: Section) -> str:
        return section.phase.roadmap.display_title

    def save_formset(self, request, form, formset, change) -> None:  # type: ignore[no-untyped-def]
        # New items added on a section's page belong to the section's roadmap.
        for topic_form in formset.forms:
            if isinstance(topic_form.instance, Topic) and not topic_form.instance.roadmap_id:
                topic_form.instance.roadmap_id = form.instance.phase.roadmap_id
        super().save_formset(request, form, formset, change)

    def renumber_children(self, section: Section, moved: set[tuple[str, int]]) -> None:
        renumber(
            section.topics.filter(retired_at__isnull=True).order_by("position", "id"), moved=moved
        )
        renumber(section.phase.sections.order_by("position", "id"), moved=moved)


@admin.register(Topic)
class TopicAdmin(RenameKeyMixin, TopicBodyMixin, ContentAdmin):
    list_display = ["title", "key", "kind", "section", "roadmap", "retired_at"]
    list_filter = ["kind", RetiredFilter, "roadmap", "section__phase__level"]
    list_select_related = ["section", "roadmap"]
    search_fields = ["title", "summary", "key"]
    autocomplete_fields = ["section"]
    fields = ["roadmap", "section", "position", "key", "title", "summary", "kind", "body"]
    fields += ["body_preview", "retired_at"]
    readonly_fields = ["body_preview", "retired_at"]
    inlines = [TopicResourceInline]
    actions = ["rename_key"]

    def renumber_children(self, topic: Topic, moved: set[tuple[str, int]]) -> None:
        renumber(topic.resources.order_by("position", "id"))


# --- Resource, FAQ ----------------------------------------------------------------------------


@admin.register(Resource)
class ResourceAdmin(LanguageChoiceMixin, ContentAdmin):
    list_display = [
        "title",
        "kind",
        "language",
        "is_free",
        "roadmap",
        "attached_to",
        "link",
        "link_health",
    ]
    list_filter = ["kind", "language", "is_free", OwnerFilter, "roadmap"]
    list_select_related = ["roadmap", "phase", "topic"]
    search_fields = ["title", "url", "author"]
    autocomplete_fields = ["roadmap", "phase", "topic"]
    fields = [
        "roadmap",
        "phase",
        "topic",
        "position",
        "kind",
        "title",
        "url",
        "language",
        "is_free",
        "author",
        "description",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Resource]:
        # Link health comes in as subqueries of the same SELECT: no query per row.
        return super().get_queryset(request).with_link_status()  # type: ignore[attr-defined]

    @admin.display(description="Link")
    def link_health(self, resource: Resource) -> str:
        return link_badge(
            getattr(resource, "link_result", None), getattr(resource, "link_broken", False)
        )

    @admin.display(description="Attached to")
    def attached_to(self, resource: Resource) -> str:
        if resource.topic_id:
            return f"Item: {resource.topic}"
        if resource.phase_id:
            return str(resource.phase)
        return "Whole roadmap"

    @admin.display(description="URL")
    def link(self, resource: Resource) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            resource.url,
            resource.url,
        )


@admin.register(FAQ)
class FAQAdmin(ContentAdmin):
    list_display = ["question", "roadmap", "position"]
    list_filter = ["roadmap"]
    list_select_related = ["roadmap"]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["roadmap"]
