from __future__ import annotations

from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("progress/<slug:slug>/items/", views.progress_mark, name="mark"),
    path("progress/<slug:slug>/items/<slug:key>/", views.progress_update, name="set"),
    path("progress/<slug:slug>/reset/", views.progress_reset_view, name="reset"),
    path("u/<str:username>/", views.public_profile, name="public_profile"),
    path("u/<str:username>/<slug:slug>.svg", views.badge, name="badge"),
]
