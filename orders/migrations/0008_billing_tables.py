"""Tariffs and remote sessions belong to the billing app: their tables are renamed
to ``billing_tariff`` and ``billing_remotesession`` (rows, keys and references
stay), and their content types move with them, so permissions granted on them and
admin log entries keep pointing at the same rows.

The model state moves in ``billing.0001_initial`` and ``orders.0009``; this
migration only touches the database, so the three together move the models
without copying a row.
"""

from django.db import migrations

MOVED = ("tariff", "remotesession")


def _move_content_types(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)
    ContentType.objects.clear_cache()


def content_types_to_billing(apps, schema_editor):
    _move_content_types(apps, "orders", "billing")


def content_types_to_orders(apps, schema_editor):
    _move_content_types(apps, "billing", "orders")


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0007_support_request_email_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="tariff", table="billing_tariff"),
                migrations.AlterModelTable(name="remotesession", table="billing_remotesession"),
            ],
        ),
        migrations.RunPython(content_types_to_billing, content_types_to_orders),
    ]
