"""The helpdesk lead sees the staff accounts and the event log and may reset a
colleague's second factor (lost phone). Agents get nothing here."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HELPDESK_LEAD = "Helpdesk lead"
LEAD_PERMISSIONS = [("staff", "reset_second_factor"), ("staff", "view_staffevent"), ("auth", "view_user")]


def grant(apps, schema_editor):
    for label in ("staff", "auth"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=HELPDESK_LEAD)
    for app_label, codename in LEAD_PERMISSIONS:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=HELPDESK_LEAD):
        for app_label, codename in LEAD_PERMISSIONS:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
