"""Orders whose helpdesk notification was pending when the task queue arrived
(``helpdesk_notified_at`` empty: the mail server was down and the old cron
command had not yet resent it) get their notification task now, so the worker
sends them without anyone running a command. Only with the database backend
(the default); with another backend, ``manage.py send_pending_notifications``
queues them (docs/operations.md, "Background tasks")."""

import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.db import migrations

TASK_PATH = "orders.tasks.notify_helpdesk_of_order"
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def queue_pending(apps, schema_editor):
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend != DATABASE_BACKEND:
        return
    Order = apps.get_model("orders", "Order")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    no_defer = datetime(9999, 1, 1, tzinfo=UTC if settings.USE_TZ else None)
    DBTaskResult.objects.bulk_create(
        DBTaskResult(
            id=uuid.uuid4(),
            status="READY",
            args_kwargs={"args": [], "kwargs": {"order_id": pk}},
            priority=0,
            task_path=TASK_PATH,
            worker_ids=[],
            queue_name="default",
            backend_name="default",
            run_after=no_defer,
            exception_class_path="",
            traceback="",
        )
        for pk in Order.objects.filter(helpdesk_notified_at__isnull=True)
        .order_by("placed_at")
        .values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("background", "0001_initial"),
        ("orders", "0005_order_helpdesk_notified_at"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(queue_pending, migrations.RunPython.noop)]
