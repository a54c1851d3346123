"""The model state of tariffs and remote sessions leaves the orders app (they
are ``billing.Tariff`` and ``billing.RemoteSession`` now); the order's tariff
reference points at the same table, renamed in 0008. State only: nothing in the
database changes here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("orders", "0008_billing_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="order",
                    name="tariff",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="orders",
                        to="billing.tariff",
                        verbose_name="Tarif",
                    ),
                ),
                migrations.DeleteModel(name="RemoteSession"),
                migrations.DeleteModel(name="Tariff"),
            ],
        ),
    ]
