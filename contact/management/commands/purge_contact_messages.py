from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contact.selectors import contact_messages_purgeable
from contact.services import contact_messages_purge


class Command(BaseCommand):
    help = (
        "Delete contact messages that were marked handled more than N days ago "
        "(default: settings.CONTACT_RETENTION_DAYS). Unhandled messages are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CONTACT_RETENTION_DAYS,
            help="Retention after handling, in days (default: %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report how many would be deleted."
        )

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1.")
        if dry_run:
            count = contact_messages_purgeable(days=days).count()
            self.stdout.write(
                f"Would delete {count} handled contact message(s) older than {days} days."
            )
            return
        count = contact_messages_purge(days=days)
        self.stdout.write(f"Deleted {count} handled contact message(s) older than {days} days.")
