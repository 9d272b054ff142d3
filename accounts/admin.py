from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from accounts.admin_login import admin_login_limited
from accounts.models import ApiToken, User

# Brute-force limits on /admin/login/ (accounts/admin_login.py). The admin builds its URL
# patterns from `site.login` when roadmapfinder/urls.py is loaded, after this module.
admin.site.login = admin_login_limited(admin.site.login)  # type: ignore[method-assign]


class ApiTokenInline(admin.TabularInline):
    """A user's API tokens: visible and revocable (delete), never created or read back here."""

    model = ApiToken
    extra = 0
    fields = ["name", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["name", "prefix", "created_at", "last_used_at"]
    can_delete = True
    verbose_name_plural = "API tokens (delete to revoke)"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ()),
        ("Profile", {"fields": ["display_name", "preferred_language", "is_profile_public"]}),
    ]
    list_display = ["username", "email", "display_name", "is_staff", "date_joined"]
    inlines = [ApiTokenInline]
