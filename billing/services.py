"""Writes: the initial tariff, recording and voiding remote sessions on an order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from billing.models import RemoteSession, Tariff, session_locked_message
from billing.selectors import tariff_current
from orders.errors import OrderError
from orders.models import OPEN_STATUSES, Order, OrderEvent
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
    no overlap with the order's counting sessions, order still open (placed or in
    progress: from "completed" on, sessions are locked). The first
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
        session_counted(order=locked, by=by, note="Erste Remote-Sitzung erfasst.")
    return session


def session_counted(*, order: Order, by: Any, note: str) -> None:
    """A session was saved on ``order`` (locked by the caller): the first one of a
    placed order moves it to in progress, with an event noting ``note``."""
    if order.status == Order.Status.PLACED:
        transition_write(order=order, to=Order.Status.IN_PROGRESS, by=by, note=note)


def session_void(*, session: RemoteSession, by: Any, reason: str) -> RemoteSession:
    """Void a wrongly recorded session of an open order: it stays, struck through,
    with who voided it and why, and no longer counts; an order event records it.

    Raises ``OrderError``: ``VOID_REASON_MISSING``, ``SESSION_ALREADY_VOIDED``,
    ``ORDER_COMPLETED`` or ``ORDER_FINAL`` (sessions lock at completion).
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise OrderError(OrderError.VOID_REASON_MISSING)
    with transaction.atomic():
        locked = order_lock(session.order)
        if locked.status not in OPEN_STATUSES:
            raise OrderError(session_locked_message(locked.status))
        row = RemoteSession.objects.select_for_update().get(pk=session.pk, order=locked)
        if row.voided_at is not None:
            raise OrderError(OrderError.SESSION_ALREADY_VOIDED)
        row.voided_at = timezone.now()
        row.voided_by = by
        row.void_reason = reason[:500]
        row.save(update_fields=["voided_at", "voided_by", "void_reason"])
        event = OrderEvent(
            order=locked,
            action="orders.session.voided",
            actor=by,
            note=f"{row}: {row.void_reason}",
        )
        event.full_clean()
        event.save()
    return row
