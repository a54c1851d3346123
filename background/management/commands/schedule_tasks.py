"""``manage.py schedule_tasks``: queue the next run of each daily maintenance command.

Idempotent; every worker does it when it starts (background/schedule.py), so
it is only needed by hand after changing ``TASK_SCHEDULE``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from background.schedule import schedule_ensure


class Command(BaseCommand):
    help = "Queues the next run of each scheduled maintenance command that has none waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = schedule_ensure()
        self.stdout.write(
            f"Queued: {', '.join(queued)}."
            if queued
            else "Every scheduled command has a run waiting."
        )
