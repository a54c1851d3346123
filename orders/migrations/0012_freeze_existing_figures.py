"""Orders completed, billed or transferred before the figures were frozen get
them now, computed once by the billing rule in force; from then on the stored
figures are what they bill."""

from datetime import timedelta

from django.db import migrations
from django.db.models import DurationField, F, Sum
from django.utils import timezone

DONE = ["completed", "billed", "transferred"]


def freeze(apps, schema_editor):
    from billing import charges

    Order = apps.get_model("orders", "Order")
    RemoteSession = apps.get_model("billing", "RemoteSession")
    totals = dict(
        RemoteSession.objects.filter(order__status__in=DONE, voided_at__isnull=True)
        .values("order")
        .annotate(total=Sum(F("ended_at") - F("started_at"), output_field=DurationField()))
        .values_list("order", "total")
    )
    now = timezone.now()
    pending = Order.objects.filter(status__in=DONE, figures_frozen_at__isnull=True)
    for order in pending.iterator(chunk_size=1000):
        seconds = (totals.get(order.pk) or timedelta()) // timedelta(seconds=1)
        charge = charges.charge_for_seconds(
            terms=charges.terms_of(order), seconds=seconds, vat_treatment=order.vat_treatment
        )
        for field, value in charges.frozen_figures(charge).items():
            setattr(order, field, value)
        order.figures_frozen_at = now
        order.save(update_fields=[*charges.frozen_figures(charge), "figures_frozen_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0011_evidence_triggers"),
        ("billing", "0004_voided_sessions"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
