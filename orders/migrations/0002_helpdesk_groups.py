"""Groups for the helpdesk: agents create, send and revoke requests and see orders;
leads also manage the tariff. Issue 5 refines the permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HELPDESK = "Helpdesk"
HELPDESK_LEAD = "Helpdesk lead"

AGENT_PERMISSIONS = [
    "add_supportrequest",
    "change_supportrequest",
    "view_supportrequest",
    "view_order",
    "view_orderevent",
    "view_tariff",
]
LEAD_PERMISSIONS = AGENT_PERMISSIONS + ["add_tariff", "change_tariff"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
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


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
