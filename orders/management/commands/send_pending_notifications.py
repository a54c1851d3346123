"""Send the helpdesk notifications that failed when the orders were placed.

Run it from cron (e.g. every 5 minutes); see docs/operations.md, "Mail failures".
Exits with status 1 if some are still pending after the run.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from orders.notifications import DEFAULT_MIN_AGE, pending_notifications_send


class Command(BaseCommand):
    help = "Sends the pending helpdesk notifications of orders (mail server was down)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--min-age",
            type=int,
            default=int(DEFAULT_MIN_AGE.total_seconds()),
            help="Only orders placed at least this many seconds ago (default: %(default)s), "
            "so an order's own first attempt is not doubled.",
        )

    def handle(self, *args: Any, min_age: int, **options: Any) -> None:
        if min_age < 0:
            raise CommandError("--min-age must not be negative")
        result = pending_notifications_send(min_age=timedelta(seconds=min_age))
        self.stdout.write(
            f"Sent {len(result.sent)} pending helpdesk notification(s)"
            + (f": {', '.join(result.sent)}" if result.sent else "")
            + "."
        )
        if result.failed:
            raise CommandError(
                f"{len(result.failed)} notification(s) still pending (mail server unreachable?): "
                + ", ".join(result.failed)
            )
