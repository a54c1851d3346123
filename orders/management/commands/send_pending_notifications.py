"""Queue the helpdesk notifications that have no task waiting.

Every new order gets its notification task in its own transaction and the
worker retries it by itself, so this command is not needed on a schedule. It
queues a task for orders that have none waiting or running: orders from
before the task queue, and notifications that failed for good and should be
tried again once the mail server is fixed (docs/operations.md,
"Background tasks"). Sending is left to the worker (``manage.py run_worker``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from orders.notifications import notifications_enqueue_missing


class Command(BaseCommand):
    help = "Queues a helpdesk-notification task for each unsent order without one waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = notifications_enqueue_missing()
        self.stdout.write(
            f"Queued {len(queued)} helpdesk notification(s)"
            + (f": {', '.join(queued)}" if queued else "")
            + "; the task worker sends them."
        )
