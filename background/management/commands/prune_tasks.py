"""``manage.py prune_tasks``: delete finished task rows past their retention.

Runs daily from ``TASK_SCHEDULE``. Done tasks go after
``TASK_DONE_RETENTION_DAYS``, failed ones after ``TASK_FAILED_RETENTION_DAYS``;
waiting and running tasks are never touched. The deleting is the database
backend's own ``prune_db_task_results``, over every queue.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Deletes finished background task rows past their retention (see docs/operations.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        before = DBTaskResult.objects.count()
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=settings.TASK_DONE_RETENTION_DAYS,
            failed_min_age_days=settings.TASK_FAILED_RETENTION_DAYS,
            verbosity=0,
        )
        deleted = before - DBTaskResult.objects.count()
        self.stdout.write(f"deleted {deleted} finished task rows")
