from django.db import migrations, models
from django.db.models import F


def mark_existing_messages_notified(apps, schema_editor):
    # Messages stored before the marker existed were e-mailed when they came
    # in (a failure was only logged): they are not sent again.
    ContactMessage = apps.get_model("contact", "ContactMessage")
    ContactMessage.objects.filter(helpdesk_notified_at__isnull=True).update(
        helpdesk_notified_at=F("created_at")
    )


class Migration(migrations.Migration):

    dependencies = [
        ("contact", "0002_helpdesk_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactmessage",
            name="helpdesk_notified_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="Helpdesk benachrichtigt am"
            ),
        ),
        migrations.RunPython(mark_existing_messages_notified, migrations.RunPython.noop),
    ]
