"""Pending helpdesk notifications: orders whose e-mail to the helpdesk failed.

``order_place`` e-mails the helpdesk after commit. If the mail server is down,
the order stands, the customer sees the success page, the failure is logged
(``event=mail.failed kind=order_placed``) and the order keeps an empty
``helpdesk_notified_at``: the notification is pending. This module sends the
pending ones again; it is called by ``manage.py send_pending_notifications``
(from cron) and by the order admin's action.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lenze_support.logs import log_event
from orders import emails
from orders.models import Order

logger = logging.getLogger(__name__)

#: Orders younger than this are left to the sender that runs right after the commit.
DEFAULT_MIN_AGE = timedelta(minutes=2)


@dataclass(frozen=True)
class SendResult:
    sent: list[str]
    failed: list[str]


def orders_pending_notification(*, min_age: timedelta = DEFAULT_MIN_AGE):
    """Orders whose helpdesk notification is pending, placed at least ``min_age`` ago."""
    return Order.objects.filter(
        helpdesk_notified_at__isnull=True, placed_at__lte=timezone.now() - min_age
    ).order_by("placed_at", "pk")


def pending_notifications_send(
    *, order_ids: Iterable[int] | None = None, min_age: timedelta = DEFAULT_MIN_AGE
) -> SendResult:
    """Send the pending helpdesk notifications (of ``order_ids`` only, if given).

    Each order is locked while its e-mail is sent (``skip_locked``), so two runs
    at the same time never send one notification twice; an order already
    notified is skipped. Returns the order numbers sent and those that failed
    again (still pending).
    """
    pending = orders_pending_notification(min_age=min_age)
    if order_ids is not None:
        pending = pending.filter(pk__in=list(order_ids))
    sent: list[str] = []
    failed: list[str] = []
    for pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            locked = (
                Order.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, helpdesk_notified_at__isnull=True)
                .only("pk", "number")
                .first()
            )
            if locked is None:
                continue
            try:
                emails.send_order_placed(order_id=pk)
            except Exception:  # logged as mail.failed; still pending
                failed.append(locked.number)
            else:
                sent.append(locked.number)
    log_event(
        logger,
        "orders.notifications.retried",
        level=logging.WARNING if failed else logging.INFO,
        sent=len(sent),
        failed=len(failed),
    )
    return SendResult(sent=sent, failed=failed)
