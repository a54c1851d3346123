"""`manage.py teamviewer_ping`: is the token valid, and does it have every
permission the portal needs? Changes nothing in TeamViewer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from teamviewer import selectors, services
from teamviewer.client import TeamViewerClient
from teamviewer.errors import TeamViewerError


class Command(BaseCommand):
    help = "Check the TeamViewer token and its permissions (creates or changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not services.integration_enabled():
            raise CommandError("TEAMVIEWER_API_TOKEN is empty: the integration is off.")
        try:
            with TeamViewerClient() as client:
                self.stdout.write(f"API: {client.base_url}")
                report = selectors.ping(client=client)
        except TeamViewerError as error:
            raise CommandError(error.for_staff()) from error
        if report.error:
            raise CommandError(f"TeamViewer not reachable: {report.error}")
        if not report.token_valid:
            raise CommandError(
                "TeamViewer rejects the token (token_valid: false). Create a new script token."
            )
        self.stdout.write("token: valid")
        for name, ok in report.permissions.items():
            state = {True: "ok", False: "MISSING", None: "unknown (no clear answer)"}[ok]
            self.stdout.write(f"permission {name}: {state}")
        self.stdout.write(f"group: {report.group_id or 'MISSING (TEAMVIEWER_GROUP_ID)'}")
        if report.missing:
            raise CommandError(
                "The token lacks: " + ", ".join(report.missing) + ". Edit the script token in the "
                "TeamViewer Management Console and add them."
            )
        if not report.group_id:
            raise CommandError("TEAMVIEWER_GROUP_ID is empty.")
        self.stdout.write(self.style.SUCCESS("TeamViewer connection OK."))
