"""Editors review learners' resource suggestions: give the group view and change on them."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_resourcesuggestion", "change_resourcesuggestion"]


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("roadmaps"), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="roadmaps", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="roadmaps", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_token"),
        ("roadmaps", "0009_item_bodies_and_suggestions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
