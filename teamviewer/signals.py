"""Receivers on orders: a new order gets a pending service case and a task to
open it; an order that ends closes its case. Both run inside the order's
transaction, each in its own savepoint: whatever goes wrong here is logged and
leaves the order untouched (the periodic sync pass repairs it later)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction

from lenze_support.logs import log_event
from orders.models import Order

logger = logging.getLogger(__name__)


def order_saved(
    sender: type,
    instance: Order,
    created: bool,
    raw: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    from teamviewer import services

    if raw or not services.integration_enabled():
        return
    status_changed = bool(update_fields) and "status" in update_fields
    if not created and not status_changed:
        return
    try:
        with transaction.atomic():
            if created:
                services.case_request(order=instance)
            else:
                services.order_status_changed(order=instance)
    except DatabaseError as error:
        log_event(
            logger,
            "teamviewer.order_hook_failed",
            level=logging.ERROR,
            order=instance.number,
            error=type(error).__name__,
        )
