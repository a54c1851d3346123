"""The status workflow: allowed transitions, events, final states, who may do what."""

import pytest

from orders import services
from orders.errors import OrderError
from orders.models import Order, OrderEvent
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db

S = Order.Status


@pytest.fixture
def lead():
    return agent("lead", "Helpdesk", "Helpdesk lead")


@pytest.fixture
def helpdesk():
    return agent("hd")


# What a final transition asks for, so that only the rule under test can refuse it.
DETAILS = {"note": "Grund", "field_service_reference": "FS-1"}


def assert_refused(order: Order, message: object, **transition) -> None:
    """The transition fails with ``message`` and leaves the order as it was."""
    start = order.status
    with pytest.raises(OrderError) as error:
        services.order_transition(order=order, **transition)
    assert error.value.message == message
    order.refresh_from_db()
    assert order.status == start


def test_full_path_placed_to_billed_writes_one_event_per_step(lead):
    order = billing_order()
    for to in (S.IN_PROGRESS, S.COMPLETED, S.BILLED):
        services.order_transition(order=order, to=to, by=lead)
    order.refresh_from_db()
    assert order.status == S.BILLED
    steps = list(
        OrderEvent.objects.filter(order=order).values_list("action", "from_status", "to_status")
    )
    assert steps == [
        ("orders.order.in_progress", "placed", "in_progress"),
        ("orders.order.completed", "in_progress", "completed"),
        ("orders.order.billed", "completed", "billed"),
    ]
    assert set(OrderEvent.objects.filter(order=order).values_list("actor", flat=True)) == {lead.pk}


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.PLACED, S.COMPLETED),
        (S.PLACED, S.BILLED),
        (S.IN_PROGRESS, S.BILLED),
        (S.IN_PROGRESS, S.CANCELLED),
        (S.COMPLETED, S.CANCELLED),
        (S.BILLED, S.IN_PROGRESS),  # only a completed order is reopened
        (S.BILLED, S.COMPLETED),
        (S.BILLED, S.TRANSFERRED),
        (S.TRANSFERRED, S.BILLED),
        (S.CANCELLED, S.IN_PROGRESS),
        (S.PLACED, S.PLACED),
        (S.PLACED, "paid"),
    ],
)
def test_transitions_outside_the_map_are_refused(lead, start, to):
    order = billing_order(status=start)
    assert_refused(order, OrderError.TRANSITION_NOT_ALLOWED, to=to, by=lead, **DETAILS)
    assert not OrderEvent.objects.filter(order=order).exists()


@pytest.mark.parametrize("start", [S.PLACED, S.IN_PROGRESS, S.COMPLETED])
def test_transfer_to_field_service_records_the_reference(lead, start):
    order = billing_order(status=start)
    services.order_transition(
        order=order, to=S.TRANSFERRED, by=lead, field_service_reference=" FS-2026-0815 "
    )
    order.refresh_from_db()
    assert order.status == S.TRANSFERRED
    assert order.field_service_reference == "FS-2026-0815"
    event = order.events.get(to_status=S.TRANSFERRED)
    assert "FS-2026-0815" in event.note


def test_transfer_without_reference_is_refused(lead):
    order = billing_order(status=S.IN_PROGRESS)
    assert_refused(
        order, OrderError.REFERENCE_MISSING, to=S.TRANSFERRED, by=lead, field_service_reference=" "
    )


def test_cancel_needs_a_reason_and_keeps_it_in_the_event(lead):
    order = billing_order()
    with pytest.raises(OrderError) as error:
        services.order_transition(order=order, to=S.CANCELLED, by=lead, note="")
    assert error.value.message == OrderError.REASON_MISSING
    services.order_transition(
        order=order, to=S.CANCELLED, by=lead, note="Kunde hat sich selbst geholfen"
    )
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.events.get().note == "Kunde hat sich selbst geholfen"


@pytest.mark.parametrize(
    ("start", "to"),
    [(S.COMPLETED, S.BILLED), (S.IN_PROGRESS, S.TRANSFERRED), (S.PLACED, S.CANCELLED)],
)
def test_final_transitions_are_for_the_helpdesk_lead_only(helpdesk, start, to):
    order = billing_order(status=start)
    assert_refused(order, OrderError.TRANSITION_FORBIDDEN, to=to, by=helpdesk, **DETAILS)


def test_an_agent_may_complete_an_order(helpdesk):
    order = billing_order(status=S.IN_PROGRESS)
    services.order_transition(order=order, to=S.COMPLETED, by=helpdesk)
    order.refresh_from_db()
    assert order.status == S.COMPLETED


def test_service_uses_the_current_status_not_a_stale_copy(lead):
    order = billing_order(status=S.COMPLETED)
    stale = Order.objects.get(pk=order.pk)
    services.order_transition(order=order, to=S.BILLED, by=lead)
    with pytest.raises(OrderError):
        services.order_transition(
            order=stale, to=S.TRANSFERRED, by=lead, field_service_reference="X"
        )
    order.refresh_from_db()
    assert order.status == S.BILLED
