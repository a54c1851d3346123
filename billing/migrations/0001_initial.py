"""Tariffs and remote sessions, moved from the orders app: their tables were
renamed by ``orders.0008_billing_tables``, so this migration creates the models
in Django's state only and leaves the database as it is."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orders", "0008_billing_tables"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Tariff",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("valid_from", models.DateTimeField(unique=True, verbose_name="gültig ab")),
                        (
                            "base_fee",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=12,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("0.00"))
                                ],
                                verbose_name="Grundgebühr (netto)",
                            ),
                        ),
                        (
                            "block_price",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=12,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("0.00"))
                                ],
                                verbose_name="Preis je Takt (netto)",
                            ),
                        ),
                        (
                            "block_minutes",
                            models.PositiveSmallIntegerField(
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="Taktlänge in Minuten",
                            ),
                        ),
                        (
                            "vat_rate",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=5,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("0.00")),
                                    django.core.validators.MaxValueValidator(Decimal("100.00")),
                                ],
                                verbose_name="Umsatzsteuersatz in %",
                            ),
                        ),
                        (
                            "currency",
                            models.CharField(default="EUR", max_length=3, verbose_name="Währung"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="angelegt am"),
                        ),
                    ],
                    options={
                        "verbose_name": "Tarif",
                        "verbose_name_plural": "Tarife",
                        "ordering": ["-valid_from"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("base_fee__gte", 0),
                                    ("block_minutes__gte", 1),
                                    ("block_price__gte", 0),
                                ),
                                name="orders_tariff_positive_values",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("vat_rate__gte", 0), ("vat_rate__lte", 100)),
                                name="orders_tariff_vat_rate_range",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RemoteSession",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("started_at", models.DateTimeField(verbose_name="Beginn")),
                        ("ended_at", models.DateTimeField(verbose_name="Ende")),
                        (
                            "note",
                            models.CharField(blank=True, max_length=500, verbose_name="Notiz"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                editable=False,
                                verbose_name="erfasst am",
                            ),
                        ),
                        (
                            "agent",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="Mitarbeiter",
                            ),
                        ),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="sessions",
                                to="orders.order",
                                verbose_name="Auftrag",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Remote-Sitzung",
                        "verbose_name_plural": "Remote-Sitzungen",
                        "ordering": ["started_at", "id"],
                        "indexes": [
                            models.Index(
                                fields=["order", "started_at"], name="orders_session_order_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("ended_at__gt", models.F("started_at"))),
                                name="orders_remote_session_ends_after_start",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
