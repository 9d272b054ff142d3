"""Let the "Editors" group see link health and act on it (recheck, accept, ignore).

Permissions are normally created after all migrations ran (post_migrate); create them here so the
group is complete on a fresh database (as accounts/0002_editors_group does).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("roadmaps"), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="roadmaps",
            content_type__model="linkstatus",
            codename__in=["view_linkstatus", "change_linkstatus"],
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="roadmaps", content_type__model="linkstatus"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0002_linkstatus"),
        ("accounts", "0002_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
