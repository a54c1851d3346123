"""Reads on the task queue: what staff and monitoring see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max


def attempts(task: DBTaskResult) -> int:
    """How often a worker started the task (each claim records the worker)."""
    return len(task.worker_ids)


def next_attempt_at(task: DBTaskResult) -> datetime | None:
    """When a waiting task runs next (None: not waiting, or as soon as a worker is free)."""
    if task.status != TaskResultStatus.READY or task.run_after == get_date_max():
        return None
    return task.run_after


def error_class(task: DBTaskResult) -> str:
    """The last error's class name ("" if none): never its message."""
    return task.exception_class_path.rsplit(".", 1)[-1]


def tasks_for(*, task_path: str, **kwargs: object) -> QuerySet[DBTaskResult]:
    """The task rows of ``task_path`` enqueued with these keyword arguments, newest first."""
    lookups = {f"args_kwargs__kwargs__{name}": value for name, value in kwargs.items()}
    return DBTaskResult.objects.filter(task_path=task_path, **lookups).order_by("-enqueued_at")


#: A task in one of these is still to run (or running now): waiting, for staff.
WAITING_STATUSES = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def tasks_waiting(*, task_path: str, **kwargs: object) -> QuerySet[DBTaskResult]:
    """``tasks_for`` narrowed to the tasks still to run or running now."""
    return tasks_for(task_path=task_path, **kwargs).filter(status__in=WAITING_STATUSES)


@dataclass(frozen=True)
class QueueHealth:
    """What ``manage.py check_tasks`` reports."""

    due: int  # ready and due now, not yet picked up
    oldest_due_since: datetime | None
    retrying: int  # failed at least once, waiting for the next attempt
    running: int
    failed: int

    def overdue_by(self, *, now: datetime) -> timedelta:
        return now - self.oldest_due_since if self.oldest_due_since else timedelta(0)


def queue_health(*, now: datetime | None = None) -> QueueHealth:
    """Counts by state, and since when the oldest due task waits for a worker."""
    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    never_deferred = Q(run_after=get_date_max())
    due = ready.filter(never_deferred | Q(run_after__lte=now))
    # Due since: enqueue time for plain tasks, run_after for deferred ones (retries).
    oldest_plain = due.filter(never_deferred).aggregate(at=Min("enqueued_at"))["at"]
    oldest_deferred = due.exclude(never_deferred).aggregate(at=Min("run_after"))["at"]
    candidates = [at for at in (oldest_plain, oldest_deferred) if at is not None]
    return QueueHealth(
        due=due.count(),
        oldest_due_since=min(candidates) if candidates else None,
        retrying=ready.exclude(exception_class_path="").count(),
        running=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        failed=DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count(),
    )
