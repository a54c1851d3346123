"""An index on UPPER(email) for the admin's search by a complete e-mail address
(``email__iexact``, orders/admin/changelist.py). PostgreSQL only, outside Django's
model state like the trigram indexes of 0006."""

from django.db import migrations

INDEX = "orders_sr_email_upper_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "orders_supportrequest" '
            '((UPPER("email"::text)))'
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_order_list_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
