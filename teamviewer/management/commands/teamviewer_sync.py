"""`manage.py teamviewer_sync`: one TeamViewer pass now (the same as the
periodic task) and what it did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from teamviewer import services


class Command(BaseCommand):
    help = (
        "Run one TeamViewer pass: create missing service cases, close ended ones, import "
        "connection reports, push billing marks; print what was done."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not services.integration_enabled():
            raise CommandError("TEAMVIEWER_API_TOKEN is empty: the integration is off.")
        result = services.sync_pass()
        for line in result.lines():
            self.stdout.write(line)
        if result.error:
            raise CommandError(result.error)
