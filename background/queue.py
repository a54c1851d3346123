"""Enqueueing background work so that it commits or rolls back with the caller.

Every side effect that talks to the outside world (e-mail, later outside APIs)
runs as a task of Django's Tasks API. With the embedded database backend
(``django_tasks_db``) a task is a row in the portal's own database: enqueued
inside the caller's transaction, it exists exactly when the caller's rows do.
Backends outside the database (RQ on Redis, the immediate backend of the
tests) cannot take part in the transaction, so their tasks are enqueued right
after the commit; an error there is logged and never reaches the customer.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from lenze_support.logs import log_event

logger = logging.getLogger(__name__)


def runs_in_transaction(task: Task[Any, Any]) -> bool:
    """True if enqueueing ``task`` writes a row to the portal's database."""
    return isinstance(task.get_backend(), DatabaseBackend)


def _enqueue_after_commit(task: Task[Any, Any], kwargs: dict[str, Any]) -> None:
    try:
        task.enqueue(**kwargs)
    except Exception as error:
        # The caller's rows are committed; `send_pending_notifications` queues the
        # notifications never queued. Only the class: messages may carry addresses.
        log_event(
            logger,
            "tasks.enqueue_failed",
            level=logging.ERROR,
            task=task.name,
            error=type(error).__name__,
        )


def enqueue(task: Task[Any, Any], **kwargs: Any) -> None:
    """Queue ``task`` with keyword arguments ``kwargs`` as part of the current transaction.

    With the database backend the task row is written now, inside the
    caller's ``atomic`` block: a database error propagates and rolls the
    caller's work back with it. With any other backend the task is queued
    after the commit (``robust``: a failure there is logged, not raised).
    """
    if runs_in_transaction(task):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: _enqueue_after_commit(task, kwargs), robust=True)
