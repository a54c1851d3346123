"""Helpdesk agents read contact messages and mark them handled; leads may also
delete them (e.g. on an erasure request). The groups are shared with orders'
migration, so both sides get_or_create them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HELPDESK = "Helpdesk"
HELPDESK_LEAD = "Helpdesk lead"

AGENT_PERMISSIONS = ["view_contactmessage", "change_contactmessage"]
LEAD_PERMISSIONS = [*AGENT_PERMISSIONS, "delete_contactmessage"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    app_config = apps.get_app_config("contact")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((HELPDESK, AGENT_PERMISSIONS), (HELPDESK_LEAD, LEAD_PERMISSIONS)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="contact", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
