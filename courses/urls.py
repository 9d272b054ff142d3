from __future__ import annotations

from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalog, name="catalog"),
]
