"""Recording remote sessions: validation and the first session's status change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing import services as billing_services
from billing.models import RemoteSession
from orders.errors import OrderError
from orders.models import Order, OrderEvent
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return billing_order()


@pytest.fixture
def helpdesk():
    return agent("hd")


def ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


def test_first_session_moves_a_placed_order_to_in_progress(order, helpdesk):
    session = billing_services.session_record(
        order=order, started_at=ago(60), ended_at=ago(48), by=helpdesk, note="Antrieb"
    )
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS
    assert session.agent == helpdesk
    event = OrderEvent.objects.get(order=order, action="orders.order.in_progress")
    assert (event.from_status, event.to_status, event.actor) == ("placed", "in_progress", helpdesk)


def test_second_session_keeps_the_status_and_writes_no_second_event(order, helpdesk):
    billing_services.session_record(order=order, started_at=ago(60), ended_at=ago(48), by=helpdesk)
    billing_services.session_record(order=order, started_at=ago(30), ended_at=ago(21), by=helpdesk)
    assert order.sessions.count() == 2
    assert OrderEvent.objects.filter(order=order, to_status="in_progress").count() == 1


def test_end_before_start_is_refused(order, helpdesk):
    with pytest.raises(OrderError) as error:
        billing_services.session_record(
            order=order, started_at=ago(10), ended_at=ago(20), by=helpdesk
        )
    assert error.value.message == OrderError.SESSION_END_BEFORE_START
    assert not RemoteSession.objects.exists()


def test_zero_length_session_is_refused(order, helpdesk):
    moment = ago(10)
    with pytest.raises(OrderError) as error:
        billing_services.session_record(
            order=order, started_at=moment, ended_at=moment, by=helpdesk
        )
    assert error.value.message == OrderError.SESSION_END_BEFORE_START


def test_future_end_is_refused(order, helpdesk):
    with pytest.raises(OrderError) as error:
        billing_services.session_record(
            order=order, started_at=ago(10), ended_at=ago(-60), by=helpdesk
        )
    assert error.value.message == OrderError.SESSION_IN_FUTURE
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED


@pytest.mark.parametrize(
    ("start", "end"),
    [(55, 45), (65, 55), (58, 52), (70, 30)],
    ids=["overlaps-end", "overlaps-start", "inside", "around"],
)
def test_overlapping_sessions_are_refused(order, helpdesk, start, end):
    billing_services.session_record(order=order, started_at=ago(60), ended_at=ago(50), by=helpdesk)
    with pytest.raises(OrderError) as error:
        billing_services.session_record(
            order=order, started_at=ago(start), ended_at=ago(end), by=helpdesk
        )
    assert error.value.message == OrderError.SESSION_OVERLAP
    assert order.sessions.count() == 1


def test_touching_sessions_are_fine(order, helpdesk):
    first = billing_services.session_record(
        order=order, started_at=ago(60), ended_at=ago(50), by=helpdesk
    )
    billing_services.session_record(
        order=order, started_at=first.ended_at, ended_at=ago(40), by=helpdesk
    )
    assert order.sessions.count() == 2


def test_sessions_of_other_orders_do_not_count_as_overlap(helpdesk):
    one, two = billing_order(), billing_order()
    billing_services.session_record(order=one, started_at=ago(60), ended_at=ago(50), by=helpdesk)
    billing_services.session_record(order=two, started_at=ago(60), ended_at=ago(50), by=helpdesk)
    assert RemoteSession.objects.count() == 2


@pytest.mark.parametrize("status", ["billed", "transferred", "cancelled"])
def test_final_orders_take_no_more_sessions(helpdesk, status):
    order = billing_order(status=status)
    with pytest.raises(OrderError) as error:
        billing_services.session_record(
            order=order, started_at=ago(60), ended_at=ago(50), by=helpdesk
        )
    assert error.value.message == OrderError.ORDER_FINAL


def test_database_refuses_a_session_ending_before_it_starts(order, helpdesk):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RemoteSession.objects.create(
            order=order, started_at=ago(10), ended_at=ago(20), agent=helpdesk
        )


def test_session_durations_feed_the_charge(order, helpdesk):
    """The billing rule's worked example: 12 + 9 minutes -> 2 blocks -> 150 / 28.50 / 178.50."""
    from decimal import Decimal

    from billing.charges import charge_of_order

    billing_services.session_record(order=order, started_at=ago(60), ended_at=ago(48), by=helpdesk)
    billing_services.session_record(order=order, started_at=ago(30), ended_at=ago(21), by=helpdesk)
    charge = charge_of_order(order, [s.duration for s in order.sessions.all()])
    assert charge.raw_minutes == Decimal("21.00")
    assert (charge.blocks, charge.net, charge.vat, charge.gross) == (
        2,
        Decimal("150.00"),
        Decimal("28.50"),
        Decimal("178.50"),
    )


def test_a_completed_order_takes_no_more_sessions(helpdesk):
    order = billing_order(status=Order.Status.COMPLETED)
    with pytest.raises(OrderError) as error:
        billing_services.session_record(
            order=order, started_at=ago(60), ended_at=ago(48), by=helpdesk
        )
    assert error.value.message == OrderError.ORDER_COMPLETED
    assert not RemoteSession.objects.exists()
