"""What an order bills is frozen when it is completed; a lead can reopen it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from billing import charges
from billing import services as billing_services
from billing.exports import order_csv_lines, orders_for_export
from billing.models import Tariff
from billing.selectors import charge_of_annotated, with_recorded_time
from billing.statements import statement_context
from orders import services
from orders.errors import OrderError
from orders.models import Order, OrderEvent
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db


def ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


@pytest.fixture
def helpdesk():
    return agent("hd", "Helpdesk")


@pytest.fixture
def lead():
    return agent("lead", "Helpdesk", "Helpdesk lead")


@pytest.fixture
def completed(offer, helpdesk):
    """12 + 9 minutes recorded, then completed: 2 blocks, 150.00 net, 178.50 gross."""
    order = billing_order(offer=offer)
    billing_services.session_record(order=order, started_at=ago(60), ended_at=ago(48), by=helpdesk)
    billing_services.session_record(order=order, started_at=ago(30), ended_at=ago(21), by=helpdesk)
    return services.order_transition(order=order, to=Order.Status.COMPLETED, by=helpdesk)


def test_completion_stores_the_billed_figures(completed):
    order = Order.objects.get(pk=completed.pk)
    assert order.figures_frozen_at is not None
    assert (order.billed_seconds, order.billed_blocks) == (21 * 60, 2)
    assert (order.billed_net, order.billed_vat_rate, order.billed_vat, order.billed_gross) == (
        Decimal("150.00"),
        Decimal("19.00"),
        Decimal("28.50"),
        Decimal("178.50"),
    )
    assert order.billing_rule_version == charges.BILLING_RULE_VERSION


def _row(order):
    lines = list(order_csv_lines(orders_for_export(pks=[order.pk])))
    return lines[-1]


def test_a_changed_rule_or_tariff_never_changes_a_completed_order(completed, lead, monkeypatch):
    services.order_transition(order=completed, to=Order.Status.BILLED, by=lead)
    before_row = _row(completed)
    # The rule changes (every started minute is a block) and so does the tariff.
    monkeypatch.setattr(charges, "blocks_for", lambda seconds, block_minutes: seconds // 60 + 1)
    Tariff.objects.update(block_price=Decimal("99.00"))
    order = Order.objects.get(pk=completed.pk)
    assert _row(order) == before_row
    assert statement_context(order)["charge"].gross == Decimal("178.50")
    listed = with_recorded_time(Order.objects.filter(pk=order.pk)).get()
    assert charge_of_annotated(listed).blocks == 2
    # An open order follows the changed rule: the patch is effective.
    assert (
        charges.charge_for_seconds(
            terms=charges.terms_of(order), seconds=21 * 60, vat_treatment="standard"
        ).blocks
        == 22
    )


def test_sessions_are_locked_from_completion_on(completed, helpdesk):
    session = completed.sessions.first()
    with pytest.raises(OrderError) as error:
        billing_services.session_record(
            order=completed, started_at=ago(10), ended_at=ago(5), by=helpdesk
        )
    assert error.value.message == OrderError.ORDER_COMPLETED
    with pytest.raises(OrderError) as error:
        billing_services.session_void(session=session, by=helpdesk, reason="Tippfehler")
    assert error.value.message == OrderError.ORDER_COMPLETED


def test_only_a_lead_reopens_and_only_with_a_reason(completed, helpdesk, lead):
    with pytest.raises(OrderError) as error:
        services.order_transition(
            order=completed, to=Order.Status.IN_PROGRESS, by=helpdesk, note="vergessen"
        )
    assert error.value.message == OrderError.REOPEN_FORBIDDEN
    with pytest.raises(OrderError) as error:
        services.order_transition(order=completed, to=Order.Status.IN_PROGRESS, by=lead)
    assert error.value.message == OrderError.REOPEN_REASON_MISSING
    assert Order.objects.get(pk=completed.pk).figures_frozen_at is not None


def test_reopening_clears_the_figures_until_completed_again(completed, helpdesk, lead):
    reopened = services.order_transition(
        order=completed,
        to=Order.Status.IN_PROGRESS,
        by=lead,
        note="Vergessene Sitzung vom Vormittag",
    )
    assert reopened.status == Order.Status.IN_PROGRESS
    assert reopened.figures_frozen_at is None and reopened.billed_net is None
    event = OrderEvent.objects.get(order=completed, action="orders.order.reopened")
    assert (event.actor, event.note) == (lead, "Vergessene Sitzung vom Vormittag")
    billing_services.session_record(
        order=reopened, started_at=ago(15), ended_at=ago(5), by=helpdesk
    )
    again = services.order_transition(order=reopened, to=Order.Status.COMPLETED, by=helpdesk)
    assert (again.billed_seconds, again.billed_blocks) == (31 * 60, 3)


def test_billed_orders_cannot_be_reopened(completed, lead):
    services.order_transition(order=completed, to=Order.Status.BILLED, by=lead)
    with pytest.raises(OrderError) as error:
        services.order_transition(
            order=completed, to=Order.Status.IN_PROGRESS, by=lead, note="zu spät"
        )
    assert error.value.message == OrderError.TRANSITION_NOT_ALLOWED


def test_transfer_freezes_the_figures_too(offer, helpdesk, lead):
    order = billing_order(offer=offer)
    billing_services.session_record(order=order, started_at=ago(40), ended_at=ago(20), by=helpdesk)
    moved = services.order_transition(
        order=order, to=Order.Status.TRANSFERRED, by=lead, field_service_reference="FS-1"
    )
    assert (moved.billed_blocks, moved.billed_net) == (2, Decimal("150.00"))


def test_voided_session_no_longer_counts_and_is_recorded(offer, helpdesk):
    order = billing_order(offer=offer)
    typo = billing_services.session_record(
        order=order, started_at=ago(300), ended_at=ago(60), by=helpdesk
    )
    billing_services.session_record(order=order, started_at=ago(30), ended_at=ago(21), by=helpdesk)
    voided = billing_services.session_void(session=typo, by=helpdesk, reason="  Tippfehler  ")
    assert voided.voided_by == helpdesk and voided.void_reason == "Tippfehler"
    event = OrderEvent.objects.get(order=order, action="orders.session.voided")
    assert "Tippfehler" in event.note and event.actor == helpdesk
    listed = with_recorded_time(Order.objects.filter(pk=order.pk)).get()
    assert charge_of_annotated(listed).raw_seconds == 9 * 60
    # A corrected session may now take the voided one's time.
    billing_services.session_record(order=order, started_at=ago(70), ended_at=ago(60), by=helpdesk)
    completed = services.order_transition(order=order, to=Order.Status.COMPLETED, by=helpdesk)
    assert completed.billed_seconds == 19 * 60
    assert [s.pk for s in statement_context(completed)["sessions"]] != [typo.pk]
    assert typo.pk not in [s.pk for s in statement_context(completed)["sessions"]]


@pytest.mark.parametrize("reason", ["", "   "])
def test_void_needs_a_reason(offer, helpdesk, reason):
    order = billing_order(offer=offer)
    session = billing_services.session_record(
        order=order, started_at=ago(30), ended_at=ago(21), by=helpdesk
    )
    with pytest.raises(OrderError) as error:
        billing_services.session_void(session=session, by=helpdesk, reason=reason)
    assert error.value.message == OrderError.VOID_REASON_MISSING


def test_a_session_is_voided_once(offer, helpdesk):
    order = billing_order(offer=offer)
    session = billing_services.session_record(
        order=order, started_at=ago(30), ended_at=ago(21), by=helpdesk
    )
    billing_services.session_void(session=session, by=helpdesk, reason="doppelt")
    with pytest.raises(OrderError) as error:
        billing_services.session_void(session=session, by=helpdesk, reason="doppelt")
    assert error.value.message == OrderError.SESSION_ALREADY_VOIDED
