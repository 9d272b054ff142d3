from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from roadmapfinder.api import api

admin.site.site_header = "Roadmapfinder editors"
admin.site.site_title = "Roadmapfinder admin"
admin.site.index_title = "Curate roadmaps"

# A database outage answers 503 "try again" (HTML, or JSON under /api/), anything else 500.
handler500 = "roadmapfinder.errors.server_error_view"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("progress.urls")),
    path("", include("courses.urls")),
    path("", include("roadmaps.urls")),
]
