"""Issue 5: the helpdesk groups get sessions, order changes (actions) and the
export; the lead also gets the final transitions (bill, transfer, cancel).
Extends the groups of 0002 (never creates duplicates); the "Legal" group is the
legal app's and gets nothing from orders."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HELPDESK = "Helpdesk"
HELPDESK_LEAD = "Helpdesk lead"

AGENT_PERMISSIONS = [
    "add_supportrequest",
    "change_supportrequest",
    "view_supportrequest",
    "view_order",
    "change_order",
    "export_order",
    "view_orderevent",
    "view_tariff",
    "add_remotesession",
    "view_remotesession",
]
LEAD_PERMISSIONS = [*AGENT_PERMISSIONS, "add_tariff", "change_tariff", "close_order"]


def extend_groups(apps, schema_editor):
    app_config = apps.get_app_config("orders")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((HELPDESK, AGENT_PERMISSIONS), (HELPDESK_LEAD, LEAD_PERMISSIONS)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
        )


def shrink_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    added = Permission.objects.filter(
        content_type__app_label="orders",
        codename__in=[
            "change_order",
            "export_order",
            "close_order",
            "add_remotesession",
            "view_remotesession",
        ],
    )
    for group in Group.objects.filter(name__in=[HELPDESK, HELPDESK_LEAD]):
        group.permissions.remove(*added)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_remote_sessions_field_service"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(extend_groups, shrink_groups)]
