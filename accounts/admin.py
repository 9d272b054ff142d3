from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ()),
        ("Profile", {"fields": ["display_name", "preferred_language", "is_profile_public"]}),
    ]
    list_display = ["username", "email", "display_name", "is_staff", "date_joined"]
