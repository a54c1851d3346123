"""Background tasks of the queue itself: the scheduled maintenance commands."""

from __future__ import annotations

import logging
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django_tasks.base import TaskContext, task

from background.worker import PermanentTaskError
from lenze_support.logs import log_event

logger = logging.getLogger(__name__)


@task(takes_context=True)
def run_scheduled_command(context: TaskContext, *, command: str) -> str:
    """Run one of the ``TASK_SCHEDULE`` commands, after queueing its next run."""
    from background.schedule import schedule_ensure

    if command not in settings.TASK_SCHEDULE:
        raise PermanentTaskError(f"{command!r} is not in TASK_SCHEDULE")
    schedule_ensure(exclude_id=str(context.task_result.id))
    output = StringIO()
    call_command(command, stdout=output, stderr=output)
    log_event(logger, "tasks.scheduled.ran", command=command)
    # The command's last line (counts only: the purges print no personal data).
    lines = output.getvalue().strip().splitlines()
    return lines[-1][:200] if lines else ""
