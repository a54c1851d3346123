"""Issue 8, scale: the bulk demo command, the list indexes, the estimated-count
paginator, the order search and the date hierarchy at a constant number of queries.

The million-order figures come from bench/scale.py (docs/benchmarks.md); these
tests guard the pieces on small data.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing import services as billing_services
from billing.models import RemoteSession
from legal.models import LegalDocument
from orders import services
from orders.admin_scale import EstimatedCountPaginator, order_search, planner_row_estimate
from orders.models import Order, OrderEvent, OrderNumberCounter, SupportRequest
from tests.factories import agent, billing_order, published_document, support_request

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:orders_order_changelist"
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


@pytest.fixture
def agent_client(client, db):
    client.force_login(agent("scale-agent"))
    return client


# --- bulk_demo_orders -----------------------------------------------------------------


def test_bulk_demo_orders_refuses_sqlite():
    if connection.vendor == "postgresql":
        pytest.skip("checks the refusal on SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bulk_demo_orders", orders=10, years=1)
    assert not Order.objects.exists()


def test_bulk_demo_orders_writes_consistent_orders_and_moves_the_number_counters(
    on_postgres, initial_documents
):
    call_command("bulk_demo_orders", orders=300, years=3, seed=5, stdout=None)

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


def test_a_real_order_after_bulk_demo_data_gets_the_next_free_number(
    on_postgres, initial_documents
):
    call_command("bulk_demo_orders", orders=40, years=1, seed=1, stdout=None)
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


def test_bulk_demo_orders_refuses_a_database_with_orders_unless_yes(on_postgres, initial_documents):
    support_request()
    with pytest.raises(CommandError, match="--yes"):
        call_command("bulk_demo_orders", orders=5, years=1)
    assert not Order.objects.exists()
    call_command("bulk_demo_orders", orders=5, years=1, yes=True, stdout=None)
    assert Order.objects.count() == 5


# --- indexes ---------------------------------------------------------------------------


def test_order_list_indexes_exist():
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "orders_order"))
    assert {
        "orders_order_placed_idx",
        "orders_order_status_placed_idx",
        "orders_order_vat_placed_idx",
        "orders_order_tariff_placed_idx",
    } <= names


def test_trigram_search_indexes_exist_on_postgres(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%trgm'")
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {
        "orders_order_number_trgm",
        "orders_sr_company_trgm",
        "orders_sr_email_trgm",
        "orders_sr_case_ref_trgm",
    }
    assert all("gin_trgm_ops" in definition for definition in indexes.values())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'orders_sr_email_upper_idx'"
        )
        assert "upper((email)::text)" in cursor.fetchone()[0]


def test_search_by_order_number_uses_the_unique_index(on_postgres, offer):
    order = billing_order(offer=offer, number="RS-2024-000123")
    plan = order_search(Order.objects.all(), "rs-2024-000123").explain()
    assert "orders_order_number" in plan  # the unique index (or its constraint)
    assert list(order_search(Order.objects.all(), "rs-2024-000123")) == [order]


# --- paginator ---------------------------------------------------------------------------


def test_paginator_counts_small_results_exactly(offer):
    for _ in range(3):
        billing_order(offer=offer)
    assert EstimatedCountPaginator(Order.objects.all(), 100).count == 3


def test_paginator_shows_the_planner_estimate_above_the_threshold(on_postgres, offer):
    for _ in range(3):
        billing_order(offer=offer)

    class Tiny(EstimatedCountPaginator):
        exact_up_to = -1

    estimate = planner_row_estimate(Order.objects.all())
    assert estimate is not None and estimate >= 1
    assert Tiny(Order.objects.all(), 100).count == estimate


def test_changelist_does_not_count_the_whole_table_twice(agent_client, offer):
    billing_order(offer=offer)
    with CaptureQueriesContext(connection) as queries:
        agent_client.get(reverse(CHANGELIST), {"status__exact": "placed"})
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) <= 1  # show_full_result_count = False


# --- search ----------------------------------------------------------------------------


def test_search_finds_number_company_email_and_case_reference_and_needs_every_term(offer):
    wanted = billing_order(
        offer=offer, company="Weser Antriebstechnik 7 GmbH", number="RS-2023-004711"
    )
    other = billing_order(offer=offer, company="Elbe Logistik AG", number="RS-2024-000815")
    SupportRequest.objects.filter(pk=wanted.support_request_id).update(
        email="e.weber@weser-antrieb.example", case_reference="INC0815-77"
    )
    SupportRequest.objects.filter(pk=other.support_request_id).update(
        email="info@elbe.example", case_reference="HD-12"
    )
    request = SupportRequest.objects.get(pk=wanted.support_request_id)
    for term in (
        "RS-2023-004711",
        "2023-0047",
        "Weser",
        "antriebstechnik 7",
        request.email,
        request.email.upper(),
        "weber@weser",
        request.case_reference,
        '"Weser Antriebstechnik"',
    ):
        assert list(order_search(Order.objects.all(), term)) == [wanted], term
    assert list(order_search(Order.objects.all(), "Weser Logistik")) == []
    assert set(order_search(Order.objects.all(), "RS-202")) == {wanted, other}
    assert list(order_search(Order.objects.all(), "RS-2024-000816")) == []


def test_admin_search_by_order_number_shows_that_order(agent_client, offer):
    billing_order(offer=offer, number="RS-2022-000042")
    billing_order(offer=offer, number="RS-2022-000043")
    page = agent_client.get(reverse(CHANGELIST), {"q": " rs-2022-000042 "}).content.decode()
    assert "RS-2022-000042" in page
    assert "RS-2022-000043" not in page


# --- date hierarchy and constant queries ----------------------------------------------------


def _orders_in_years(offer, years, per_year=1):
    for year in years:
        for n in range(per_year):
            placed = timezone.make_aware(datetime(year, 3, 10 + n, 10, 0))
            billing_order(offer=offer, placed_at=placed)


def test_date_hierarchy_lists_only_years_with_orders(agent_client, offer):
    _orders_in_years(offer, [2019, 2021])
    page = agent_client.get(reverse(CHANGELIST)).content.decode()
    assert "placed_at__year=2019" in page
    assert "placed_at__year=2021" in page
    assert "placed_at__year=2020" not in page
    month_page = agent_client.get(reverse(CHANGELIST), {"placed_at__year": "2021"}).content
    assert "placed_at__month=3" in month_page.decode()


VIEWS = [
    {},
    {"status__exact": "placed"},
    {"vat_treatment__exact": "standard"},
    {"placed_at__year": "2021"},
    {"q": "Muster"},
    {"q": "2021"},
    {"q": "RS-2021-000001"},
]


@pytest.mark.parametrize("params", VIEWS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_order_list_queries_do_not_grow_with_the_number_of_orders(agent_client, offer, params):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = agent_client.get(reverse(CHANGELIST), params)
        assert response.status_code == 200
        return len(captured.captured_queries)

    _orders_in_years(offer, [2020, 2021])
    few = queries()
    _orders_in_years(offer, [2019, 2021, 2022], per_year=4)
    for order in Order.objects.all()[:5]:
        RemoteSession.objects.create(
            order=order,
            started_at=order.placed_at + timedelta(hours=1),
            ended_at=order.placed_at + timedelta(hours=2),
            agent=order.support_request.created_by or agent("s-" + str(order.pk)),
        )
    assert queries() == few
