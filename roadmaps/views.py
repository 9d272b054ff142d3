from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from roadmaps.models import Roadmap


def catalog(request: HttpRequest) -> HttpResponse:
    roadmaps = Roadmap.objects.published().with_counts()
    return render(request, "roadmaps/catalog.html", {"roadmaps": roadmaps})


def roadmap_detail(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = get_object_or_404(Roadmap.objects.visible_to(request.user), slug=slug)
    return render(request, "roadmaps/detail.html", {"roadmap": roadmap})
