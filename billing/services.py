"""Writes: the initial tariff and recording remote sessions on an order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from billing.models import RemoteSession, Tariff
from billing.selectors import tariff_current
from orders.errors import OrderError
from orders.models import Order
from orders.services import order_lock, transition_write

INITIAL_TARIFF = {
    "base_fee": Decimal("100.00"),
    "block_price": Decimal("25.00"),
    "block_minutes": 15,
    "vat_rate": Decimal("19.00"),
    "currency": "EUR",
}


def tariff_ensure_initial() -> Tariff:
    """The initial tariff (100 € + 25 € per started 15 minutes, 19 % VAT), created
    once, in force since 2026-01-01; returns the current tariff if one exists."""
    current = tariff_current()
    if current is not None:
        return current
    tariff = Tariff(valid_from=timezone.make_aware(datetime(2026, 1, 1)), **INITIAL_TARIFF)
    tariff.full_clean()
    tariff.save()
    return tariff


def session_record(
    *,
    order: Order,
    started_at: datetime,
    ended_at: datetime,
    by: Any,
    note: str = "",
) -> RemoteSession:
    """Record a remote session of agent ``by`` on ``order``.

    Validated by ``RemoteSession.clean``: end after start, nothing in the future,
    no overlap with the order's other sessions, order not final. The first
    session of a placed order moves it to in progress (with an event).

    Raises ``OrderError`` with the first problem found.
    """
    with transaction.atomic():
        locked = order_lock(order)  # serialises sessions of one order (overlap check)
        session = RemoteSession(
            order=locked, started_at=started_at, ended_at=ended_at, agent=by, note=note
        )
        try:
            session.full_clean()
        except ValidationError as error:
            raise OrderError(error.messages[0]) from error
        session.save()
        if locked.status == Order.Status.PLACED:
            transition_write(
                order=locked,
                to=Order.Status.IN_PROGRESS,
                by=by,
                note="Erste Remote-Sitzung erfasst.",
            )
    return session
