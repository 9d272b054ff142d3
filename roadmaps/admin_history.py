"""The roadmap admin's History: every revision of a roadmap, any two compared as a readable
diff, and "Revert to this revision" (roadmaps.history). Mixed into `RoadmapAdmin`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from roadmaps.content import ContentError, roadmap_export
from roadmaps.history import RevisionMissing, revision_get, revision_revert
from roadmaps.models import Roadmap
from roadmaps.revision_diff import revision_diff


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


class RoadmapHistoryMixin:
    """URLs <id>/revisions/, <id>/revisions/compare/?a=N&b=M and <id>/revisions/<N>/revert/."""

    admin_site: Any
    model: type[Roadmap]

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="roadmaps_roadmap_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name="roadmaps_roadmap_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/revert/",
                view(self.revert_view),
                name="roadmaps_roadmap_revert",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def _roadmap(self, request: HttpRequest, object_id: str, *, change: bool = False) -> Roadmap:
        roadmap = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if roadmap is None:
            raise Http404("No such roadmap.")
        allowed = (
            self.has_change_permission(request, roadmap)  # type: ignore[attr-defined]
            if change
            else self.has_view_permission(request, roadmap)  # type: ignore[attr-defined]
        )
        if not allowed:
            raise PermissionDenied
        return roadmap

    def _context(self, request: HttpRequest, roadmap: Roadmap, title: str) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": roadmap,
            "title": title,
            "can_change": self.has_change_permission(request, roadmap),  # type: ignore[attr-defined]
        }

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        roadmap = self._roadmap(request, object_id)
        revisions = (
            roadmap.revisions.defer("snapshot")
            .annotate(size=Length("snapshot"))
            .order_by("-number")
        )
        context = self._context(request, roadmap, f"History of {roadmap.display_title}")
        context["revisions"] = list(revisions)
        return render(request, "admin/roadmaps/roadmap/revisions.html", context)

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        roadmap = self._roadmap(request, object_id)
        a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
        if a is None or b is None:
            messages.error(request, "Choose two revisions to compare.")
            return HttpResponseRedirect(self._revisions_url(roadmap))
        try:
            old, new = (revision_get(roadmap=roadmap, number=n) for n in sorted((a, b)))
        except RevisionMissing as error:
            raise Http404(str(error)) from None
        context = self._context(
            request, roadmap, f"Revision {old.number} → {new.number} of {roadmap.display_title}"
        )
        context.update(old=old, new=new, changes=revision_diff(old.text, new.text))
        return render(request, "admin/roadmaps/roadmap/compare.html", context)

    def revert_view(self, request: HttpRequest, object_id: str, number: int) -> HttpResponse:
        roadmap = self._roadmap(request, object_id, change=True)
        try:
            revision = revision_get(roadmap=roadmap, number=number)
        except RevisionMissing as error:
            raise Http404(str(error)) from None
        if request.method == "POST":
            try:
                report = revision_revert(roadmap=roadmap, number=number, user=request.user)
            except ContentError as error:
                messages.error(request, f"Nothing reverted: {error}")
            else:
                text = "reverted" if report.changed else "already matched it; nothing changed"
                messages.success(request, f"{roadmap.display_title}: {text} (revision {number}).")
            return HttpResponseRedirect(self._revisions_url(roadmap))
        context = self._context(request, roadmap, f"Revert {roadmap.display_title}")
        context.update(
            revision=revision, changes=revision_diff(roadmap_export(roadmap), revision.text)
        )
        return render(request, "admin/roadmaps/roadmap/revert_confirm.html", context)

    def _revisions_url(self, roadmap: Roadmap) -> str:
        return reverse("admin:roadmaps_roadmap_revisions", args=[roadmap.pk])
