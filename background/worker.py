"""The worker: the database backend's worker, plus retries and a visibility timeout.

``django_tasks_db`` runs each task once: an exception marks it failed, and a
worker killed mid-task leaves it "running" for ever. The portal's work talks
to mail servers and outside APIs that are down for hours, so this worker adds
two things and nothing else:

* **Retries with growing delays.** A failed attempt puts the same task row
  back to "ready" with ``run_after`` = now + the next delay of
  ``TASK_RETRY_DELAYS`` (1 min, 5 min, 30 min, 2 h, then every 6 h: 13 attempts
  over more than 48 hours). After the last one the task is marked failed,
  visible in the admin ("Hintergrundaufgaben") and to ``manage.py check_tasks``.
  Errors that no retry can fix (:class:`PermanentTaskError`, the object is
  gone, the task's code is gone) fail at once.
* **A visibility timeout.** A task "running" for longer than
  ``TASK_VISIBILITY_TIMEOUT`` seconds belongs to a worker that died (SIGKILL,
  power loss); any live worker puts it back to "ready". Tasks themselves are
  bounded far below that (``EMAIL_TIMEOUT``), so a slow task is not run twice.

Each task row is still claimed by exactly one worker (``SELECT … FOR UPDATE
SKIP LOCKED`` on PostgreSQL, an exclusive transaction on SQLite), so any
number of workers on any number of machines is safe.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from datetime import timedelta
from traceback import format_tb
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from lenze_support.logs import log_event

logger = logging.getLogger(__name__)


class PermanentTaskError(Exception):
    """A task failure no retry can fix (e.g. the object it is about was deleted)."""


#: Failures that end a task at once instead of being retried.
PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    PermanentTaskError,
    ObjectDoesNotExist,
    ImportError,
    SuspiciousOperation,
    TypeError,  # the task's signature no longer matches the stored arguments
)


def retry_delays() -> Sequence[int]:
    """Seconds to wait before the 2nd, 3rd, … attempt (``TASK_RETRY_DELAYS``)."""
    return settings.TASK_RETRY_DELAYS


def next_delay(*, attempts: int) -> int | None:
    """Seconds until the next attempt after ``attempts`` failed ones; None: give up."""
    delays = retry_delays()
    return delays[attempts - 1] if attempts <= len(delays) else None


def error_class_path(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}"


def _traceback_without_message(error: BaseException) -> str:
    # The frames and the class, never the exception's text: SMTP errors quote
    # addresses and server replies, and this column is shown to staff. Our own
    # PermanentTaskError says why in words free of personal data: kept.
    frames = "".join(format_tb(error.__traceback__))
    last = type(error).__qualname__
    if isinstance(error, PermanentTaskError):
        last += f": {error}"
    return f"Traceback (most recent call last):\n{frames}{last}\n"


class Worker(DBWorker):
    """``db_worker``'s loop with retries and the visibility timeout (see module doc)."""

    def __init__(self, *, visibility_timeout: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.visibility_timeout = visibility_timeout
        self._next_reclaim = 0.0

    # --- failed attempts ---------------------------------------------------------

    def fail_or_retry(self, db_task_result: DBTaskResult, error: BaseException) -> None:
        """Record a failed attempt: back to "ready" later, or failed for good."""
        attempts = len(db_task_result.worker_ids)
        delay = None if isinstance(error, PERMANENT_ERRORS) else next_delay(attempts=attempts)
        now = timezone.now()
        db_task_result.exception_class_path = error_class_path(error)
        db_task_result.traceback = _traceback_without_message(error)
        db_task_result.return_value = None
        if delay is None:
            db_task_result.status = TaskResultStatus.FAILED
            db_task_result.finished_at = now
        else:
            db_task_result.status = TaskResultStatus.READY
            db_task_result.run_after = now + timedelta(seconds=delay)
        db_task_result.save(
            update_fields=[
                "status",
                "run_after",
                "finished_at",
                "return_value",
                "exception_class_path",
                "traceback",
            ]
        )
        log_event(
            logger,
            "tasks.task.failed" if delay is None else "tasks.task.retry_scheduled",
            level=logging.ERROR if delay is None else logging.WARNING,
            task=db_task_result.task_path,
            id=str(db_task_result.id),
            attempts=attempts,
            error=type(error).__name__,
            **({} if delay is None else {"retry_in": delay}),
        )

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # The base worker reports a failure through ``set_failed``; this
        # worker decides there between "retry later" and "failed".
        db_task_result.set_failed = (  # type: ignore[method-assign]
            lambda error: self.fail_or_retry(db_task_result, error)
        )
        super().run_task(db_task_result)

    # --- workers that died ---------------------------------------------------------

    def reclaim_abandoned(self) -> int:
        """Put tasks "running" longer than the visibility timeout back to "ready"."""
        cutoff = timezone.now() - timedelta(seconds=self.visibility_timeout)
        abandoned = DBTaskResult.objects.filter(
            backend_name=self.backend_name,
            status=TaskResultStatus.RUNNING,
            started_at__lt=cutoff,
        )
        reclaimed = abandoned.update(status=TaskResultStatus.READY, run_after=timezone.now())
        if reclaimed:
            log_event(logger, "tasks.reclaimed", level=logging.WARNING, count=reclaimed)
        return reclaimed

    def _reclaim_if_due(self) -> None:
        now = time.monotonic()
        if now >= self._next_reclaim:
            self._next_reclaim = now + min(60.0, max(self.visibility_timeout / 4, 0.5))
            self.reclaim_abandoned()

    # --- the loop (db_worker's, with the reclaim step) -----------------------------

    def run(self) -> None:
        log_event(
            logger,
            "tasks.worker.started",
            worker=self.worker_id,
            queues=",".join(self.queue_names),
        )
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (spreads simultaneous starts)

        while self.running:
            close_old_connections()
            try:
                self._reclaim_if_due()
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise

            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            if self.excluded_queue_names:
                tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)

            task_result: DBTaskResult | None
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    retrieved = True
                    if task_result is not None:
                        task_result.claim(self.worker_id)
                except OperationalError as error:
                    retrieved = False
                    if not is_locked_database_exception(error):
                        raise
                    task_result = None

            if task_result is not None:
                self.run_task(task_result)

            if self.batch and retrieved and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)
