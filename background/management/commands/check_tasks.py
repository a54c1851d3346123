"""``manage.py check_tasks``: exit non-zero when the task queue needs a look (monitoring).

Fails (exit status 1, one line saying why) when the oldest due task has waited
for a worker longer than ``--max-wait`` seconds (no worker running, or too few
for the load), or when more than ``--max-failed`` tasks have failed for good
(they stay listed under "Hintergrundaufgaben" until retried or pruned).
Prints the counts either way.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from background.selectors import queue_health


class Command(BaseCommand):
    help = "Checks the background task queue: exits 1 if tasks wait too long or failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-wait",
            type=int,
            default=300,
            help="Seconds a due task may wait for a worker (default: %(default)s).",
        )
        parser.add_argument(
            "--max-failed",
            type=int,
            default=0,
            help="Failed tasks tolerated (default: %(default)s).",
        )

    def handle(self, *args: Any, max_wait: int, max_failed: int, **options: Any) -> None:
        if max_wait < 0 or max_failed < 0:
            raise CommandError("--max-wait and --max-failed must not be negative")
        now = timezone.now()
        health = queue_health(now=now)
        waited = int(health.overdue_by(now=now).total_seconds())
        self.stdout.write(
            f"due={health.due} oldest_due_waiting={waited}s retrying={health.retrying} "
            f"running={health.running} failed={health.failed}"
        )
        problems = []
        if waited > max_wait:
            problems.append(
                f"the oldest due task has waited {waited}s for a worker (limit {max_wait}s): "
                "is a worker running (manage.py run_worker)?"
            )
        if health.failed > max_failed:
            problems.append(
                f"{health.failed} task(s) failed for good (limit {max_failed}): "
                "see the admin, Hintergrundaufgaben"
            )
        if problems:
            raise CommandError("; ".join(problems))
