"""Scheduled maintenance as deferred tasks: no cron lines, no scheduler loop.

``TASK_SCHEDULE`` maps management commands to a daily time (portal time
zone). Each command has exactly one waiting run in the queue, a task deferred
to its next time (``run_after``). When it runs, it first queues the run after
it, then does its work; so the chain survives failures (the failed run is
retried on its own) and restarts. ``schedule_ensure`` fills gaps: it is called
whenever a worker starts and by ``manage.py schedule_tasks``, and queues a run
for each command that has none waiting. A lock makes simultaneous callers
(several workers starting at once) queue one run, not two.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from background.selectors import tasks_waiting

_LOCK_KEY = int.from_bytes(hashlib.sha256(b"background.schedule").digest()[:4], "big")


def next_run_at(*, daily_at: str, now: datetime) -> datetime:
    """The next time (after ``now``) the clock in the portal's time zone shows ``daily_at``."""
    hour, minute = (int(part) for part in daily_at.split(":"))
    local_now = timezone.localtime(now)
    candidate = timezone.make_aware(
        datetime.combine(local_now.date(), time(hour, minute)), local_now.tzinfo
    )
    if candidate <= now:
        candidate = timezone.make_aware(
            datetime.combine(local_now.date() + timedelta(days=1), time(hour, minute)),
            local_now.tzinfo,
        )
    return candidate


def _waiting_runs(*, command: str, exclude_id: str | None):
    from background import tasks

    runs = tasks_waiting(task_path=tasks.run_scheduled_command.module_path, command=command)
    return runs.exclude(pk=exclude_id) if exclude_id else runs


def schedule_ensure(*, now: datetime | None = None, exclude_id: str | None = None) -> list[str]:
    """Queue the next run of each scheduled command that has none waiting.

    ``exclude_id``: the running task that calls this (it does not count as
    waiting). Returns the commands queued.
    """
    from background import queue, tasks

    if not queue.runs_in_transaction(tasks.run_scheduled_command):
        return []  # another backend: its own scheduler or one cron line (docs/operations.md)
    now = now or timezone.now()
    queued: list[str] = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        for command, daily_at in settings.TASK_SCHEDULE.items():
            if _waiting_runs(command=command, exclude_id=exclude_id).exists():
                continue
            run_after = next_run_at(daily_at=daily_at, now=now)
            tasks.run_scheduled_command.using(run_after=run_after).enqueue(command=command)
            queued.append(command)
    return queued
