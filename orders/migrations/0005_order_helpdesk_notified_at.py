from django.db import migrations, models
from django.db.models import F


def mark_existing_orders_notified(apps, schema_editor):
    # Orders placed before the marker existed were notified (or handled) already:
    # they must not all be sent again by send_pending_notifications.
    Order = apps.get_model("orders", "Order")
    Order.objects.filter(helpdesk_notified_at__isnull=True).update(
        helpdesk_notified_at=F("placed_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_billing_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="helpdesk_notified_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="Helpdesk benachrichtigt am"
            ),
        ),
        migrations.RunPython(mark_existing_orders_notified, migrations.RunPython.noop),
    ]
