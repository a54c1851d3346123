"""Delete support requests (personal data) whose link expired without an order.

Orders, and the requests they were placed through, are accounting records and
are never touched. See docs/operations.md, "Retention".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from orders.services import support_requests_purge_expired


class Command(BaseCommand):
    help = (
        "Deletes support requests without an order whose link expired or was revoked "
        "more than --days days ago (default: SUPPORT_REQUEST_RETENTION_DAYS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention after expiry in days (default: SUPPORT_REQUEST_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be deleted."
        )

    def handle(self, *args: Any, days: int | None, dry_run: bool, **options: Any) -> None:
        days = settings.SUPPORT_REQUEST_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must not be negative")
        cutoff = timezone.now() - timedelta(days=days)
        ids = support_requests_purge_expired(before=cutoff, dry_run=dry_run)
        when = timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M")
        verb = "Would delete" if dry_run else "Deleted"
        noun = "support request" if len(ids) == 1 else "support requests"
        self.stdout.write(
            f"{verb} {len(ids)} {noun} without an order that expired or were revoked "
            f"before {when} (retention {days} days)."
        )
        if dry_run and ids:
            self.stdout.write("Ids: " + ", ".join(str(pk) for pk in ids))
