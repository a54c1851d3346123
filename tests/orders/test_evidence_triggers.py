"""On PostgreSQL the database itself protects an order's evidence and its events."""

import pytest
from django.db import DatabaseError, connection, transaction

from orders import services
from orders.models import Order, OrderEvent
from tests.factories import agent, billing_order, recorded_session

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def refused(sql, params, match):
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("consent_text", "anders"),
        ("asb_sha256", "0" * 64),
        ("placed_at", "2020-01-01T00:00:00Z"),
        ("block_price", "1.00"),
        ("vat_treatment", "reverse_charge"),
        ("customer_vat_id", "ATU13585627"),
        ("number", "RS-1999-000001"),
    ],
)
def test_evidence_columns_cannot_change(on_postgres, offer, column, value):
    order = billing_order(offer=offer)
    refused(
        f"UPDATE orders_order SET {column} = %s WHERE id = %s",
        [value, order.pk],
        "evidence of order",
    )
    assert Order.objects.get(pk=order.pk).consent_text == order.consent_text


def test_orders_cannot_be_deleted(on_postgres, offer):
    order = billing_order(offer=offer)
    refused("DELETE FROM orders_order WHERE id = %s", [order.pk], "cannot be deleted")
    assert Order.objects.filter(pk=order.pk).exists()


def test_status_still_changes(on_postgres, offer):
    order = billing_order(offer=offer)
    lead = agent("lead", "Helpdesk", "Helpdesk lead")
    services.order_transition(order=order, to="cancelled", by=lead, note="Kunde verzichtet")
    assert Order.objects.get(pk=order.pk).status == "cancelled"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE orders_orderevent SET note = 'umgeschrieben' WHERE order_id = %s",
        "DELETE FROM orders_orderevent WHERE order_id = %s",
    ],
)
def test_order_events_are_append_only(on_postgres, offer, sql):
    order = billing_order(offer=offer)
    lead = agent("lead", "Helpdesk", "Helpdesk lead")
    services.order_transition(order=order, to="cancelled", by=lead, note="Kunde verzichtet")
    refused(sql, [order.pk], "append-only")
    assert OrderEvent.objects.get(order=order).note == "Kunde verzichtet"


def _session_order(offer):
    hd = agent("hd-trig", "Helpdesk")
    order = billing_order(offer=offer)
    return order, recorded_session(order, by=hd), hd


def test_sessions_of_a_completed_order_cannot_change(on_postgres, offer):
    order, session, hd = _session_order(offer)
    services.order_transition(order=order, to="completed", by=hd)
    refused(
        "UPDATE billing_remotesession SET ended_at = ended_at + interval '1 hour' WHERE id = %s",
        [session.pk],
        "are locked",
    )


def test_sessions_are_never_deleted_but_open_ones_can_be_voided(on_postgres, offer):
    from billing import services as billing_services

    _order, session, hd = _session_order(offer)
    refused("DELETE FROM billing_remotesession WHERE id = %s", [session.pk], "void it instead")
    billing_services.session_void(session=session, by=hd, reason="doppelt")


def test_billed_figures_cannot_change(on_postgres, offer):
    order, _session, hd = _session_order(offer)
    lead = agent("lead-trig", "Helpdesk", "Helpdesk lead")
    services.order_transition(order=order, to="completed", by=hd)
    services.order_transition(order=order, to="billed", by=lead)
    refused(
        "UPDATE orders_order SET billed_gross = 1.00 WHERE id = %s",
        [order.pk],
        "billed figures",
    )
    refused(
        "UPDATE orders_order SET figures_frozen_at = NULL, billed_seconds = NULL,"
        " billed_blocks = NULL, billed_net = NULL, billed_vat_rate = NULL, billed_vat = NULL,"
        " billed_gross = NULL"
        " WHERE id = %s",
        [order.pk],
        "billed figures",
    )
