from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("settings/tokens/", views.token_create_view, name="token_create"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("settings/export/", views.data_export_view, name="data_export"),
    path("settings/delete/", views.account_delete_view, name="delete"),
]
