"""Concurrent writes on PostgreSQL: the order row lock serialises session
recording and transitions, so the overlap check and the transition map hold
even when two agents press save at the same moment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing import services as billing_services
from billing.models import RemoteSession
from orders import services
from orders.errors import OrderError
from orders.models import Order, OrderEvent
from tests.concurrency import run_together
from tests.factories import agent, billing_order

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_overlapping_sessions_saved_at_once_store_only_one(on_postgres):
    order = billing_order()
    one, two = agent("a1"), agent("a2")
    start = timezone.now() - timedelta(hours=1)

    def record(by, offset):
        return lambda: billing_services.session_record(
            order=order,
            started_at=start + timedelta(minutes=offset),
            ended_at=start + timedelta(minutes=offset + 12),
            by=by,
        )

    results = run_together([record(one, 0), record(two, 5)])
    assert sorted(isinstance(r, RemoteSession) for r in results) == [False, True]
    assert OrderError.SESSION_OVERLAP in results
    assert RemoteSession.objects.filter(order=order).count() == 1
    # Only the first session moved the order on.
    assert OrderEvent.objects.filter(order=order, to_status="in_progress").count() == 1


def test_bill_and_transfer_at_once_leave_one_final_status(on_postgres):
    order = billing_order(status=Order.Status.COMPLETED)
    lead = agent("lead", "Helpdesk", "Helpdesk lead")
    results = run_together(
        [
            lambda: services.order_transition(order=order, to="billed", by=lead),
            lambda: services.order_transition(
                order=order, to="transferred", by=lead, field_service_reference="FS-1"
            ),
        ]
    )
    assert OrderError.TRANSITION_NOT_ALLOWED in results
    order.refresh_from_db()
    assert order.status in {"billed", "transferred"}
    assert OrderEvent.objects.filter(order=order).count() == 1
