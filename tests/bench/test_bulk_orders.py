"""bench/bulk_orders.py: the demo data for scale measurements is consistent,
moves the order-number counters on, and never lands in a database in use."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import timezone

from bench.bulk_orders import Refused, run
from billing import services as billing_services
from billing.models import RemoteSession
from legal.models import LegalDocument
from orders import services
from orders.models import Order, OrderEvent, OrderNumberCounter, SupportRequest
from tests.factories import published_document, support_request

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"RS-(\d{4})-(\d{6})")


@pytest.fixture
def initial_documents(db):
    """Published versions of every initial text (stub PDFs: no WeasyPrint render)."""
    docs = {}
    for kind, language in [
        (LegalDocument.Kind.PRIVACY, "de"),
        (LegalDocument.Kind.ASB, "de"),
        (LegalDocument.Kind.IMPRINT, "de"),
        (LegalDocument.Kind.PRIVACY, "en"),
        (LegalDocument.Kind.ASB, "en"),
    ]:
        docs[(kind, language)] = published_document(kind=kind, language=language)
    return docs


def test_bulk_orders_refuses_sqlite():
    if connection.vendor == "postgresql":
        pytest.skip("checks the refusal on SQLite")
    with pytest.raises(Refused, match="PostgreSQL"):
        run(orders=10, years=1, seed=None, yes=False)
    assert not Order.objects.exists()


def test_bulk_orders_writes_consistent_orders_and_moves_the_number_counters(
    on_postgres, initial_documents
):
    run(orders=300, years=3, seed=5, yes=False)

    orders = list(Order.objects.select_related("support_request", "tariff"))
    assert len(orders) == 300
    assert SupportRequest.objects.count() >= 300
    per_year: dict[int, list[int]] = {}
    for order in orders:
        year, serial = NUMBER.fullmatch(order.number).groups()  # type: ignore[union-attr]
        assert int(year) == timezone.localtime(order.placed_at).year
        per_year.setdefault(int(year), []).append(int(serial))
        # Frozen tariff values, from the tariff in force when the order was placed.
        assert order.tariff.valid_from <= order.placed_at
        assert (order.base_fee, order.block_price, order.vat_rate) == (
            order.tariff.base_fee,
            order.tariff.block_price,
            order.tariff.vat_rate,
        )
        privacy = initial_documents[(LegalDocument.Kind.PRIVACY, order.language)]
        assert order.privacy_document_id == privacy.pk
        assert order.privacy_sha256 == privacy.sha256
        assert order.support_request.created_at < order.placed_at
        assert order.helpdesk_notified_at is not None  # nothing pending to e-mail
        assert (order.vat_treatment == "reverse_charge") == bool(order.customer_vat_id)
    for year, serials in per_year.items():
        assert sorted(serials) == list(range(1, len(serials) + 1))
        assert OrderNumberCounter.objects.get(year=year).last_number == len(serials)
    assert len(per_year) >= 3  # spread over the years
    # Statuses are spread, and the history matches them.
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {"billed", "transferred", "cancelled"} <= statuses
    assert OrderEvent.objects.filter(action="orders.order.placed").count() == 300
    for order in Order.objects.filter(status__in=["in_progress", "completed", "billed"]):
        assert order.sessions.exists()
        last_event = order.events.order_by("-created_at", "-id").first()
        assert last_event is not None and last_event.to_status == order.status
    assert not RemoteSession.objects.filter(ended_at__lte=models_f_started()).exists()
    assert not RemoteSession.objects.filter(ended_at__gt=timezone.now()).exists()


def models_f_started():
    from django.db.models import F

    return F("started_at")


def test_a_real_order_after_bulk_data_gets_the_next_free_number(on_postgres, initial_documents):
    run(orders=40, years=1, seed=1, yes=False)
    year = timezone.localtime().year
    last = OrderNumberCounter.objects.get(year=year).last_number
    offer = initial_documents
    request, _token = support_request()
    tariff = billing_services.tariff_ensure_initial()
    shown = services.Shown(
        privacy_id=offer[(LegalDocument.Kind.PRIVACY, "de")].pk,
        asb_id=offer[(LegalDocument.Kind.ASB, "de")].pk,
        tariff_id=tariff.pk,
    )
    order = services.order_place(support_request=request, consent=True, shown=shown, language="de")
    assert order.number == f"RS-{year}-{last + 1:06d}"


def test_bulk_orders_refuses_a_database_with_orders_unless_yes(on_postgres, initial_documents):
    support_request()
    with pytest.raises(Refused, match="--yes"):
        run(orders=5, years=1, seed=None, yes=False)
    assert not Order.objects.exists()
    run(orders=5, years=1, seed=None, yes=True)
    assert Order.objects.count() == 5
