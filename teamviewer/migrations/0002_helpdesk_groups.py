"""The helpdesk groups see the TeamViewer case on the order page and may start a
failed case again (change); nobody adds or deletes cases by hand."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Helpdesk", "Helpdesk lead")
PERMISSIONS = ["view_servicecase", "change_servicecase"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("teamviewer")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="teamviewer", codename__in=PERMISSIONS
    )
    for name in GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="teamviewer", codename__in=PERMISSIONS
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("teamviewer", "0001_initial"),
        ("orders", "0004_billing_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
