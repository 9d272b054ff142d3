from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from roadmapfinder.api import api

admin.site.site_header = "Roadmapfinder editors"
admin.site.site_title = "Roadmapfinder admin"
admin.site.index_title = "Curate roadmaps"

# A database outage answers 503 "try again" (HTML, or JSON under /api/), anything else 500.
handler500 = "roadmapfinder.errors.server_error_view"

# The roadmaps' pages first: they are most of the requests that reach the resolver (visitors'
# stored answers are served before it), and Django tries patterns in order; behind allauth's and
# the admin's lists they cost ~0.1 ms per request to find. No two apps share a path.
urlpatterns = [
    path("", include("roadmaps.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("progress.urls")),
    path("", include("courses.urls")),
]
