"""The helpdesk's notification of each order: its state, and queueing what is missing.

Every order gets its notification task in the order's own transaction
(``order_place``); the worker sends it and retries for more than 48 hours
(background/worker.py). ``Order.helpdesk_notified_at`` is the sent-marker.
This module tells staff where each notification stands (sent / waiting /
failed with the error class) and queues a task for orders that have none
waiting: orders from before the queue existed, and failed ones the helpdesk
wants to send again (``manage.py send_pending_notifications``, admin action).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background import queue, selectors
from lenze_support.logs import log_event
from orders import tasks
from orders.models import Order

logger = logging.getLogger(__name__)

TASK_PATH = tasks.notify_helpdesk_of_order.module_path


@dataclass(frozen=True)
class NotificationState:
    code: str  # sent | waiting | failed | missing
    error_class: str = ""

    @property
    def label(self) -> StrOrPromise:
        labels = {
            "sent": _("gesendet"),
            "waiting": _("wartet"),
            "failed": _("fehlgeschlagen"),
            "missing": _("ausstehend, keine Aufgabe"),
        }
        label = labels[self.code]
        return f"{label} ({self.error_class})" if self.error_class else label


def _latest_tasks(order_ids: Iterable[int] | None) -> dict[int, DBTaskResult]:
    """Each order's latest unfinished notification task (of ``order_ids``, or of
    every order: the queue's unfinished tasks are few)."""
    rows = DBTaskResult.objects.filter(task_path=TASK_PATH).exclude(
        status=TaskResultStatus.SUCCESSFUL
    )
    if order_ids is not None:
        ids = list(order_ids)
        if not ids:
            return {}
        rows = rows.filter(args_kwargs__kwargs__order_id__in=ids)
    latest: dict[int, DBTaskResult] = {}
    for task in rows.order_by("enqueued_at").only(
        "status", "args_kwargs", "exception_class_path", "enqueued_at"
    ):
        order_id = (task.args_kwargs or {}).get("kwargs", {}).get("order_id")
        if isinstance(order_id, int):
            latest[order_id] = task
    return latest


def orders_with_failed_notification(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """The unsent orders of ``queryset`` whose latest notification task failed
    (what ``notification_states`` calls "failed"); one query over the queue."""
    failed = [
        order_id
        for order_id, task in _latest_tasks(None).items()
        if task.status == TaskResultStatus.FAILED
    ]
    return queryset.filter(pk__in=failed, helpdesk_notified_at__isnull=True)


def notification_states(orders: Iterable[Order]) -> dict[int, NotificationState]:
    """Where each order's helpdesk notification stands (one query for the unsent)."""
    orders = list(orders)
    pending = [order.pk for order in orders if order.helpdesk_notified_at is None]
    latest = _latest_tasks(pending)
    states: dict[int, NotificationState] = {}
    for order in orders:
        if order.helpdesk_notified_at is not None:
            states[order.pk] = NotificationState("sent")
            continue
        task = latest.get(order.pk)
        if task is None:
            states[order.pk] = NotificationState("missing")
        elif task.status == TaskResultStatus.FAILED:
            states[order.pk] = NotificationState("failed", selectors.error_class(task))
        else:
            states[order.pk] = NotificationState("waiting", selectors.error_class(task))
    return states


def orders_without_notification(*, order_ids: Iterable[int] | None = None) -> QuerySet[Order]:
    """Orders whose helpdesk notification was never sent."""
    pending = Order.objects.filter(helpdesk_notified_at__isnull=True)
    if order_ids is not None:
        pending = pending.filter(pk__in=list(order_ids))
    return pending.order_by("placed_at", "pk")


def notifications_enqueue_missing(*, order_ids: Iterable[int] | None = None) -> list[str]:
    """Queue a notification task for each unsent order with none waiting or running
    (of ``order_ids`` only, if given); returns their order numbers.

    Each order's row is locked while it is checked, so two runs at the same
    time queue one task, not two.
    """
    queued: list[str] = []
    for pk in list(orders_without_notification(order_ids=order_ids).values_list("pk", flat=True)):
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, helpdesk_notified_at__isnull=True)
                .only("pk", "number", "helpdesk_notified_at")
                .first()
            )
            if order is None:
                continue
            state = notification_states([order])[order.pk]
            if state.code == "waiting":
                continue
            queue.enqueue(tasks.notify_helpdesk_of_order, order_id=order.pk)
            queued.append(order.number)
    log_event(logger, "orders.notifications.enqueued", count=len(queued))
    return queued
