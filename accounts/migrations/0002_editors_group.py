"""Create the "Editors" group with the content permissions and nothing else.

Permissions are normally created after all migrations ran (post_migrate); create them here so the
group is complete on a fresh database.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ["roadmap", "phase", "section", "topic", "resource", "faq"]


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("roadmaps"), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="roadmaps", content_type__model__in=CONTENT_MODELS
        )
    )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("roadmaps", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
