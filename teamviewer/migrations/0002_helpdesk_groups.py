"""Kept for the migration history: the helpdesk groups' TeamViewer permissions
are granted with all other group permissions by ``lenze_support.groups``
(applied after every migrate)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("teamviewer", "0001_initial"),
        ("orders", "0004_billing_groups"),
    ]

    operations: list[migrations.operations.base.Operation] = []
