from __future__ import annotations

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from roadmaps import views
from roadmaps.sitemaps import SITEMAPS

app_name = "roadmaps"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("roadmaps/<slug:slug>/", views.roadmap_detail, name="detail"),
    path("roadmaps/<slug:slug>/items/<slug:key>/", views.item_detail, name="item"),
    path("roadmaps/<slug:slug>/items/<slug:key>/panel/", views.item_panel, name="item_panel"),
    path("roadmaps/<slug:slug>/items/<slug:key>/suggest/", views.item_suggest, name="suggest"),
    path("preview/<str:token>/", views.roadmap_preview, name="preview"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
