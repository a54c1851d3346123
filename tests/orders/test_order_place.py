import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.errors import OrderError
from orders.models import Order, OrderEvent
from orders.services import order_place, support_request_revoke
from tests.factories import support_request

pytestmark = pytest.mark.django_db


def assert_no_order(message: object, **place) -> None:
    """``order_place`` refuses with ``message`` and writes no order."""
    with pytest.raises(OrderError) as error:
        order_place(language="de", **place)
    assert error.value.message == message
    assert Order.objects.count() == 0


def test_order_records_the_evidence(open_request, shown, offer):
    request, _token = open_request
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert re.fullmatch(rf"RS-{timezone.localtime().year}-\d{{6}}", order.number)
    assert order.status == Order.Status.PLACED
    assert order.privacy_document == offer["privacy"]
    assert order.privacy_sha256 == offer["privacy"].sha256
    assert order.asb_sha256 == offer["asb"].sha256
    assert order.consent_text.startswith("Ich habe die Datenschutzerklärung Remote-Support")
    assert order.button_label == "kostenpflichtig bestellen"
    assert (order.base_fee, order.block_price, order.block_minutes, order.vat_rate) == (
        Decimal("100.00"),
        Decimal("25.00"),
        15,
        Decimal("19.00"),
    )
    assert order.vat_treatment == Order.VatTreatment.STANDARD
    event = OrderEvent.objects.get(order=order)
    assert event.action == "orders.order.placed"
    assert event.actor is None and event.actor_label == "customer"
    assert event.to_status == Order.Status.PLACED


def test_order_stores_no_ip_address_or_user_agent():
    names = {field.name for field in Order._meta.get_fields()}
    assert not {n for n in names if "ip" in n.split("_") or "agent" in n}


def test_placing_twice_returns_the_same_order(open_request, shown):
    request, _token = open_request
    first = order_place(support_request=request, consent=True, shown=shown, language="de")
    second = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert first.pk == second.pk
    assert Order.objects.count() == 1 and OrderEvent.objects.count() == 1


def test_database_allows_one_order_per_request(open_request, shown):
    request, _token = open_request
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    order.pk = None
    order.number = "RS-2026-999999"
    with pytest.raises(IntegrityError), transaction.atomic():
        order.save()


def test_consecutive_orders_get_consecutive_numbers(offer, shown):
    numbers = []
    for _ in range(3):
        request, _token = support_request()
        numbers.append(
            order_place(support_request=request, consent=True, shown=shown, language="de").number
        )
    assert [int(n[-6:]) for n in numbers] == [1, 2, 3]


def test_no_consent_no_order(open_request, shown):
    request, _token = open_request
    assert_no_order(OrderError.CONSENT_MISSING, support_request=request, consent=False, shown=shown)


def test_changed_tariff_refuses_as_stale(open_request, shown):
    from tests.factories import TariffFactory

    request, _token = open_request
    TariffFactory(valid_from=timezone.now() - timedelta(minutes=1))
    assert_no_order(OrderError.STALE, support_request=request, consent=True, shown=shown)


def test_revoked_request_refuses(open_request, shown):
    request, _token = open_request
    support_request_revoke(support_request=request)
    assert_no_order(OrderError.REVOKED, support_request=request, consent=True, shown=shown)


def test_missing_documents_refuse_as_unavailable(db):
    from orders.services import Shown
    from tests.factories import TariffFactory

    tariff = TariffFactory.create()
    request, _token = support_request()
    shown = Shown(privacy_id=1, asb_id=1, tariff_id=tariff.pk)
    assert_no_order(OrderError.UNAVAILABLE, support_request=request, consent=True, shown=shown)


@pytest.mark.parametrize(
    ("country", "vat_id", "treatment"),
    [
        ("DE", "DE136695976", "standard"),
        ("AT", "ATU13585627", "reverse_charge"),
        ("FR", "", "standard"),
        ("CH", "", "standard"),  # outside the EU, business not confirmed
    ],
)
def test_vat_treatment_is_decided_from_the_request(offer, shown, country, vat_id, treatment):
    request, _token = support_request(country=country, vat_id=vat_id)
    order = order_place(support_request=request, consent=True, shown=shown, language="de")
    assert order.vat_treatment == treatment
    assert order.customer_vat_id == vat_id


def test_revoking_an_ordered_request_is_refused(open_request, shown):
    request, _token = open_request
    order_place(support_request=request, consent=True, shown=shown, language="de")
    with pytest.raises(OrderError) as error:
        support_request_revoke(support_request=request)
    assert error.value.message == OrderError.ALREADY_ORDERED
