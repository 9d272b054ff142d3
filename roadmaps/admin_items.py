"""Admin pieces for items' bodies and learners' resource suggestions.

The body is edited in a tall textarea with the rendered, sanitized result shown beside it after
saving (what learners see, `Topic.body_html`). Suggestions are reviewed here: approve adds the
link to its item through `roadmaps.suggestions` (the same content write path as every edit),
reject asks for a reason. Neither edits a suggestion's fields: a learner's words stay theirs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.db.models import Case, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from roadmaps.models import ResourceSuggestion, Topic
from roadmaps.suggestions import SuggestionError, suggestion_approve, suggestion_reject


class TopicBodyMixin:
    """Adds the body's editor and its preview to the item admin."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):  # type: ignore[no-untyped-def]
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 16, "cols": 90})
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]

    @admin.display(description="Body as learners see it")
    def body_preview(self, topic: Topic) -> str:
        if not topic.body_html:
            return "Shown here after saving a body."
        # body_html is the sanitizer's output (roadmaps.markdown): only the allowed tags.
        return mark_safe(f'<div class="body-preview">{topic.body_html}</div>')


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Kept with the suggestion, e.g. 'Paid course' or 'Covers an older version'.",
    )


@admin.register(ResourceSuggestion)
class ResourceSuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "link", "item", "roadmap", "user", "status", "created_at"]
    list_filter = ["status", "topic__roadmap", "kind", "language"]
    list_select_related = ["topic__roadmap", "user"]
    search_fields = ["title", "url", "topic__title", "user__username"]
    actions = ["approve", "reject"]
    readonly_fields = [
        "topic",
        "user",
        "title",
        "url",
        "kind",
        "language",
        "note",
        "status",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "reject_reason",
        "resource",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # suggestions come from learners; editors add resources on the item

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResourceSuggestion]:
        # The pending ones are the work: listed first, newest first within each status.
        pending_first = Case(
            When(status=ResourceSuggestion.Status.PENDING, then=Value(0)), default=Value(1)
        )
        return super().get_queryset(request).order_by(pending_first, "-created_at", "-pk")

    @admin.display(description="Link")
    def link(self, suggestion: ResourceSuggestion) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>',
            suggestion.url,
            suggestion.url,
        )

    @admin.display(description="Item", ordering="topic__title")
    def item(self, suggestion: ResourceSuggestion) -> str:
        url = reverse("admin:roadmaps_topic_change", args=[suggestion.topic_id])
        return format_html('<a href="{}">{}</a>', url, suggestion.topic.title)

    @admin.display(description="Roadmap", ordering="topic__roadmap__title")
    def roadmap(self, suggestion: ResourceSuggestion) -> str:
        return str(suggestion.topic.roadmap)

    @admin.action(description="Approve: add to the item's resources", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[ResourceSuggestion]) -> None:
        added = 0
        for suggestion in queryset.order_by("pk"):
            try:
                suggestion_approve(suggestion=suggestion, editor=request.user)
            except SuggestionError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                added += 1
        if added:
            self.message_user(
                request, f"Added {added} resource(s) to their items.", messages.SUCCESS
            )

    @admin.action(description="Reject (asks for a reason)", permissions=["change"])
    def reject(
        self, request: HttpRequest, queryset: QuerySet[ResourceSuggestion]
    ) -> HttpResponse | None:
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            rejected = 0
            for suggestion in queryset.order_by("pk"):
                try:
                    suggestion_reject(
                        suggestion=suggestion,
                        editor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except SuggestionError as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    rejected += 1
            if rejected:
                self.message_user(request, f"Rejected {rejected} suggestion(s).", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/roadmaps/resourcesuggestion/reject.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "suggestions": queryset,
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )
