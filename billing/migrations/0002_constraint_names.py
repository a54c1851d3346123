"""The moved tables' check constraints and index take the billing app's names."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("orders", "0009_tariff_and_sessions_in_billing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="remotesession",
            name="orders_remote_session_ends_after_start",
        ),
        migrations.RemoveConstraint(
            model_name="tariff",
            name="orders_tariff_positive_values",
        ),
        migrations.RemoveConstraint(
            model_name="tariff",
            name="orders_tariff_vat_rate_range",
        ),
        migrations.RenameIndex(
            model_name="remotesession",
            new_name="billing_session_order_idx",
            old_name="orders_session_order_idx",
        ),
        migrations.AddConstraint(
            model_name="remotesession",
            constraint=models.CheckConstraint(
                condition=models.Q(("ended_at__gt", models.F("started_at"))),
                name="billing_session_ends_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="tariff",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("base_fee__gte", 0), ("block_minutes__gte", 1), ("block_price__gte", 0)
                ),
                name="billing_tariff_positive_values",
            ),
        ),
        migrations.AddConstraint(
            model_name="tariff",
            constraint=models.CheckConstraint(
                condition=models.Q(("vat_rate__gte", 0), ("vat_rate__lte", 100)),
                name="billing_tariff_vat_rate_range",
            ),
        ),
    ]
