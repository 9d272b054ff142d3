"""The admin's guards for learners' progress: renaming an item's key, deleting sections and
phases that hold items, deleting roadmaps learners work on, and the form pieces they share.

`roadmaps.admin` wires these into its ModelAdmins; the writes themselves are services
(`roadmaps.services`), as for every other caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from common.languages import LANGUAGE_NAMES, language_name
from roadmaps.models import Resource, Roadmap, Section, Topic
from roadmaps.services import (
    ItemsHandled,
    phases_delete,
    roadmap_learner_count,
    sections_delete,
    topic_key_rename,
    topic_key_validate,
)


def language_choices() -> list[tuple[str, str]]:
    """The offered languages, plus any code resources already use (so no form ever changes a
    resource's language by showing it a list without its code)."""
    codes = set(Resource.objects.order_by().values_list("language", flat=True).distinct())
    codes.update(LANGUAGE_NAMES)
    ordered = sorted(codes, key=lambda code: (code != "en", language_name(code)))
    return [(code, f"{language_name(code)} ({code})") for code in ordered]


class LanguageChoiceMixin:
    """A resource's language as a list of languages instead of a free-text code."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "language" and db_field.model is Resource:
            return forms.ChoiceField(
                choices=language_choices,
                initial=db_field.default,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class TopicInlineForm(forms.ModelForm):
    """The key is typed once, for a new item; afterwards it is read-only as on the item page
    (progress is stored against it): use "Rename key" to change it safely."""

    class Meta:
        model = Topic
        fields = ["position", "key", "title", "summary", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "key" in self.fields:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = "Permanent. Use 'Rename key' on the item's page."


# --- Rename key --------------------------------------------------------------------------------


class RenameKeyForm(forms.Form):
    key = forms.CharField(
        label="New key",
        max_length=100,
        help_text="Lowercase letters, digits and single hyphens. Learners' progress moves with "
        "the item; links to the old key's anchor stop working.",
    )

    def __init__(self, *args: Any, topic: Topic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic = topic

    def clean_key(self) -> str:
        return topic_key_validate(topic=self.topic, key=self.cleaned_data["key"])


def rename_key_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("roadmap"), pk=object_id)
    if not model_admin.has_change_permission(request, topic):
        raise PermissionDenied
    form = RenameKeyForm(request.POST or None, topic=topic, initial={"key": topic.key})
    if request.method == "POST" and form.is_valid():
        old = topic.key
        try:
            moved = topic_key_rename(topic=topic, key=form.cleaned_data["key"], user=request.user)
        except ValidationError as error:  # a key taken between the form check and the write
            form.add_error("key", error)
        else:
            model_admin.log_change(request, topic, f"Renamed key {old!r} to {topic.key!r}.")
            model_admin.message_user(
                request,
                f"Key {old!r} renamed to {topic.key!r}; {moved} learners' progress row(s) "
                "moved with it.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:roadmaps_topic_change", args=[topic.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Rename the key of '{topic.title}'",
        "opts": Topic._meta,
        "topic": topic,
        "form": form,
    }
    return TemplateResponse(request, "admin/roadmaps/topic/rename_key.html", context)


class RenameKeyMixin(admin.ModelAdmin):
    """For the item admin: the key is shown read-only with a "Rename key" link (and list
    action) leading to `rename_key_view`."""

    def get_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        fields = super().get_fields(request, obj)
        if obj is None:
            return fields
        return [("permanent_key" if name == "key" else name) for name in fields]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Progress is stored against the item: once it exists its key changes only through
        # "Rename key", which checks the new key, and it stays in its roadmap.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            return [*readonly, "permanent_key", "roadmap"]
        return readonly

    def get_urls(self):  # type: ignore[no-untyped-def]
        rename = path(
            "<path:object_id>/rename-key/",
            self.admin_site.admin_view(
                lambda request, object_id: rename_key_view(self, request, object_id)
            ),
            name="roadmaps_topic_rename_key",
        )
        return [rename, *super().get_urls()]

    @admin.display(description="Key")
    def permanent_key(self, topic: Topic) -> str:
        url = reverse("admin:roadmaps_topic_rename_key", args=[topic.pk])
        return format_html('<code>{}</code> &nbsp; <a href="{}">Rename key</a>', topic.key, url)

    @admin.action(description="Rename the key of the selected item", permissions=["change"])
    def rename_key(self, request: HttpRequest, queryset: models.QuerySet[Topic]) -> Any:
        topics = list(queryset[:2])
        if len(topics) != 1:
            self.message_user(request, "Select exactly one item to rename.", messages.ERROR)
            return None
        return HttpResponseRedirect(reverse("admin:roadmaps_topic_rename_key", args=[topics[0].pk]))


# --- Deleting sections and phases that hold items ---------------------------------------------


class ItemsOnDeleteForm(forms.Form):
    MOVE, REMOVE = "move", "remove"
    what = forms.ChoiceField(
        label="Their items",
        widget=forms.RadioSelect,
        choices=[
            (MOVE, "Move them to the end of another section of this roadmap"),
            (
                REMOVE,
                "Remove them from the roadmap: items learners have progress on are retired "
                "(hidden, their progress kept), the others are deleted",
            ),
        ],
    )
    move_to = forms.ModelChoiceField(
        queryset=Section.objects.none(), required=False, label="Section to move them to"
    )

    def __init__(self, *args: Any, sections: models.QuerySet[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        move_to: Any = self.fields["move_to"]
        move_to.queryset = sections.select_related("phase")
        move_to.label_from_instance = lambda section: (
            f"Phase {section.phase.position}: {section.phase.title} / {section}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("what") == self.MOVE and not data.get("move_to"):
            self.add_error("move_to", "Choose the section the items move to.")
        return data


def items_on_delete_view(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    objects: Sequence[models.Model],
    item_count: int,
    targets: models.QuerySet[Section],
    delete: Callable[..., ItemsHandled],
) -> HttpResponse | None:
    """Ask what happens to the `item_count` items of `objects` (sections or phases) before they
    are deleted; None once done (the caller redirects to the list)."""
    if not all(model_admin.has_delete_permission(request, obj) for obj in objects):
        raise PermissionDenied
    confirmed = request.method == "POST" and "what" in request.POST
    form = ItemsOnDeleteForm(request.POST if confirmed else None, sections=targets)
    if confirmed and form.is_valid():
        move_to = form.cleaned_data["move_to"] if form.cleaned_data["what"] == form.MOVE else None
        rows = model_admin.model._default_manager.filter(pk__in=[obj.pk for obj in objects])
        try:
            with transaction.atomic():
                model_admin.log_deletions(request, rows)
                handled = delete(objects, move_to=move_to, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names = ", ".join(f"'{obj}'" for obj in objects)
            model_admin.message_user(request, f"Deleted {names}; {handled}.", messages.SUCCESS)
            return None
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Delete {opts.verbose_name_plural if len(objects) > 1 else opts.verbose_name}",
        "opts": opts,
        "objects": objects,
        "item_count": item_count,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": [obj.pk for obj in objects],
        "is_action": "action" in request.POST,
    }
    return TemplateResponse(request, "admin/roadmaps/items_on_delete.html", context)


# --- Deleting roadmaps -------------------------------------------------------------------------


def roadmaps_with_learners(
    request: HttpRequest, roadmaps: Sequence[Roadmap], protected: list[Any]
) -> None:
    """Roadmaps learners have progress on: only a superuser deletes them, warned how many
    learners lose their progress; for anyone else they are protected (archive them instead)."""
    confirming = bool(request.POST.get("post"))
    for roadmap in roadmaps:
        learners = roadmap_learner_count(roadmap.pk)
        if not learners:
            continue
        if not request.user.is_superuser:  # type: ignore[union-attr]
            protected.append(
                f"{roadmap.display_title}: {learners} learner(s) have progress on it. Archive "
                "it instead (hidden from learners, progress kept, restorable); only a superuser "
                "can delete it."
            )
        elif not confirming:
            messages.warning(
                request,
                f"{learners} learner(s) lose their progress on {roadmap.display_title} if you "
                "delete it. Archiving hides it and keeps their progress.",
            )


class ItemsOnDeleteMixin(admin.ModelAdmin):
    """For the admins of sections and phases: deleting one (its page's Delete, or the list's
    action) that holds items asks first what happens to them; without items it is the usual
    confirmation. `delete_with_items` replaces the list's "delete selected"."""

    def section_ids(self, objects: Sequence[models.Model]) -> list[int]:
        if self.model is Section:
            return [obj.pk for obj in objects]
        return list(Section.objects.filter(phase__in=objects).values_list("pk", flat=True))

    def items_delete(
        self, objects: Sequence[Any], *, move_to: Section | None, user: Any = None
    ) -> ItemsHandled:
        if self.model is Section:
            return sections_delete(sections=objects, move_to=move_to, user=user)
        return phases_delete(phases=objects, move_to=move_to, user=user)

    def _items_step(self, request: HttpRequest, objects: Sequence[models.Model]) -> Any:
        ids = self.section_ids(objects)
        item_count = Topic.objects.active().filter(section_id__in=ids).count()
        if not item_count:
            return False
        roadmap_ids = Section.objects.filter(pk__in=ids).values("phase__roadmap_id")
        targets = Section.objects.filter(phase__roadmap_id__in=roadmap_ids).exclude(pk__in=ids)
        return items_on_delete_view(
            self,
            request,
            objects=objects,
            item_count=item_count,
            targets=targets.order_by("phase__position", "position"),
            delete=self.items_delete,
        )

    def delete_view(self, request, object_id, extra_context=None):  # type: ignore[no-untyped-def]
        obj = self.get_object(request, object_id)
        if obj is not None:
            response = self._items_step(request, [obj])
            if response is None:
                return HttpResponseRedirect(
                    reverse(f"admin:roadmaps_{obj._meta.model_name}_changelist")
                )
            if response is not False:
                return response
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):  # type: ignore[no-untyped-def]
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]  # type: ignore[misc]
            actions[name] = (type(self)._delete_selected, name, description)
        return actions

    def _delete_selected(self, request: HttpRequest, queryset: models.QuerySet) -> Any:
        """The list's "delete selected": asks about the items first when there are any, else
        Django's own confirmation."""
        response = self._items_step(request, list(queryset.order_by("pk")))
        if response is False:
            return delete_selected(self, request, queryset)
        return response
