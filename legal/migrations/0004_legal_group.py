"""The "Legal" staff group: edits drafts and publishes legal documents.

Members also need "staff status" to log in to the admin. Published versions
stay read-only for everyone (no change, no delete), whatever the permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Legal"
CODENAMES = [
    "view_legaldocument",
    "add_legaldocument",
    "change_legaldocument",
    "delete_legaldocument",  # drafts only; the admin and the model refuse published ones
    "publish_legaldocument",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("legal")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    perms = Permission.objects.filter(content_type__app_label="legal", codename__in=CODENAMES)
    group.permissions.add(*perms)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0003_published_rows_immutable_trigger"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
