from django.urls import path

from roadmaps import views

app_name = "roadmaps"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("roadmaps/<slug:slug>/", views.roadmap_detail, name="detail"),
]
