"""The admin's view of the task queue, and who may see it: the helpdesk lead
views the background tasks and may retry them (the group is shared with the
orders and contact migrations, so it is got or created here too)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HELPDESK_LEAD = "Helpdesk lead"
LEAD_PERMISSIONS = ["view_backgroundtask", "retry_backgroundtask"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    app_config = apps.get_app_config("background")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=HELPDESK_LEAD)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="background", codename__in=LEAD_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="BackgroundTask",
            fields=[],
            options={
                "verbose_name": "Hintergrundaufgabe",
                "verbose_name_plural": "Hintergrundaufgaben",
                "permissions": [
                    ("retry_backgroundtask", "Hintergrundaufgaben sofort erneut versuchen")
                ],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("django_tasks_database.dbtaskresult",),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
