"""The roadmap admin's draft copies and preview links (roadmaps.drafts, roadmaps.previews):
"Make a draft copy" of a published roadmap, "Publish over the original" from the copy, and
"Preview link" for any draft. Mixed into `RoadmapAdmin` next to its History."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from roadmaps.content import ContentError, roadmap_export
from roadmaps.drafts import DraftError, draft_copy, draft_publish
from roadmaps.models import Roadmap
from roadmaps.previews import preview_max_age, preview_path
from roadmaps.revision_diff import revision_diff


def _change_url(roadmap: Roadmap) -> str:
    return reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk])


class RoadmapDraftsMixin:
    """URLs <id>/draft-copy/, <id>/publish-draft/ and <id>/preview-link/: GET explains and
    asks, POST (with the admin's CSRF check) acts."""

    admin_site: Any
    model: type[Roadmap]

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/draft-copy/",
                view(self.draft_copy_view),
                name="roadmaps_roadmap_draft_copy",
            ),
            path(
                "<path:object_id>/publish-draft/",
                view(self.draft_publish_view),
                name="roadmaps_roadmap_publish_draft",
            ),
            path(
                "<path:object_id>/preview-link/",
                view(self.preview_link_view),
                name="roadmaps_roadmap_preview_link",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def _changeable(self, request: HttpRequest, object_id: str) -> Roadmap:
        roadmap = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if roadmap is None:
            raise Http404("No such roadmap.")
        if not self.has_change_permission(request, roadmap):  # type: ignore[attr-defined]
            raise PermissionDenied
        return roadmap

    def _page(
        self, request: HttpRequest, roadmap: Roadmap, title: str, **extra: Any
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": roadmap,
            "title": title,
            **extra,
        }
        return render(request, "admin/roadmaps/roadmap/draft_action.html", context)

    def draft_copy_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        roadmap = self._changeable(request, object_id)
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        if request.method != "POST":
            return self._page(
                request, roadmap, f"Make a draft copy of {roadmap.display_title}", action="copy"
            )
        try:
            draft = draft_copy(roadmap=roadmap, user=request.user)
        except (DraftError, ContentError) as error:
            messages.error(request, f"No draft copy made: {error}")
            return HttpResponseRedirect(_change_url(roadmap))
        messages.success(
            request,
            f"Draft copy {draft.slug} made. Learners keep seeing {roadmap.slug} until you "
            "publish the copy over it.",
        )
        return HttpResponseRedirect(_change_url(draft))

    def draft_publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        draft = self._changeable(request, object_id)
        original = draft.draft_of
        if original is None:
            raise Http404("This roadmap is not a draft copy.")
        if not (
            self.has_change_permission(request, original)  # type: ignore[attr-defined]
            and self.has_delete_permission(request, draft)  # type: ignore[attr-defined]
        ):
            raise PermissionDenied
        if request.method != "POST":
            changes = revision_diff(
                roadmap_export(original), roadmap_export(draft), same=("slug", "status")
            )
            title = f"Publish {draft.slug} over {original.display_title}"
            return self._page(
                request, draft, title, action="publish", original=original, changes=changes
            )
        try:
            report = draft_publish(draft=draft, user=request.user)
        except (DraftError, ContentError, ProtectedError, RestrictedError) as error:
            messages.error(request, f"Nothing published: {error}")
            return HttpResponseRedirect(_change_url(draft))
        messages.success(
            request, f"Published over {original.slug}: {report}. The draft copy is gone."
        )
        return HttpResponseRedirect(_change_url(original))

    def preview_link_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        draft = self._changeable(request, object_id)
        if draft.status != Roadmap.Status.DRAFT:
            messages.error(request, "Only drafts get preview links: this roadmap is not a draft.")
            return HttpResponseRedirect(_change_url(draft))
        link = (
            request.build_absolute_uri(preview_path(draft=draft))
            if request.method == "POST"
            else ""
        )
        days = preview_max_age().total_seconds() / 86400
        return self._page(
            request,
            draft,
            f"Preview link for {draft.display_title}",
            action="preview",
            link=link,
            days=f"{days:g}",
        )
