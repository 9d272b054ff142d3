"""The site's URLs plus one view that crashes, for tests of what a crash looks like."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from roadmapfinder.urls import handler500
from roadmapfinder.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the view broke")


urlpatterns = [path("crash/", crash), *site_urlpatterns]
