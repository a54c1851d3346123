"""The order list at scale: the list indexes, the estimated-count paginator, the
order search and the year/month filter at a constant number of queries.

The million-order figures come from bench/scale.py (docs/benchmarks.md); these
tests guard the pieces on small data.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import RemoteSession
from orders.admin.changelist import EstimatedCountPaginator, order_search, planner_row_estimate
from orders.models import Order, SupportRequest
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:orders_order_changelist"
NUMBER = re.compile(r"RS-(\d{4})-(\d{6})")


@pytest.fixture
def agent_client(client, db):
    client.force_login(agent("scale-agent"))
    return client


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


def test_paginator_counts_a_filter_that_matches_nothing(on_postgres, offer):
    # A filter may compile to no SQL at all (pk__in=[]: the start page's "failed
    # notifications" link when none failed); the list then shows zero rows.
    billing_order(offer=offer)
    assert planner_row_estimate(Order.objects.filter(pk__in=[])) == 0
    assert EstimatedCountPaginator(Order.objects.filter(pk__in=[]), 100).count == 0


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


# --- year and month filter, constant queries ----------------------------------------------------


def _orders_in_years(offer, years, per_year=1):
    for year in years:
        for n in range(per_year):
            placed = timezone.make_aware(datetime(year, 3, 10 + n, 10, 0))
            billing_order(offer=offer, placed_at=placed)


def test_year_filter_lists_only_years_with_orders_and_the_months_of_the_chosen_year(
    agent_client, offer
):
    _orders_in_years(offer, [2019, 2021])
    page = agent_client.get(reverse(CHANGELIST)).content.decode()
    assert "placed_at__year=2019" in page
    assert "placed_at__year=2021" in page
    assert "placed_at__year=2020" not in page
    month_page = agent_client.get(reverse(CHANGELIST), {"placed_at__year": "2021"}).content
    assert "placed_at__month=3" in month_page.decode()
    assert "placed_at__month=4" not in month_page.decode()
    march = agent_client.get(
        reverse(CHANGELIST), {"placed_at__year": "2021", "placed_at__month": "3"}
    )
    assert march.context["cl"].result_count == 1


@pytest.mark.parametrize("value", ["abc", "0", "99999", "2021-3"])
def test_year_filter_ignores_values_that_are_no_year(agent_client, offer, value):
    _orders_in_years(offer, [2021])
    response = agent_client.get(reverse(CHANGELIST), {"placed_at__year": value})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_year_probes_find_the_same_periods_as_distinct(on_postgres, offer, monkeypatch):
    """On PostgreSQL a large result is probed period by period: same answer."""
    from orders.admin import changelist

    _orders_in_years(offer, [2018, 2021, 2022], per_year=2)
    orders = Order.objects.all()
    expected_years = changelist.periods_with_rows(orders, field="placed_at", kind="year")
    monkeypatch.setattr(changelist, "FEW_ROWS", 0)
    with CaptureQueriesContext(connection) as captured:
        probed_years = changelist.periods_with_rows(orders, field="placed_at", kind="year")
    assert probed_years == expected_years
    assert [start.year for start in probed_years] == [2018, 2021, 2022]
    # The planner's estimate, first and last, and one UNION of the probes.
    assert len(captured.captured_queries) == 4
    assert "UNION ALL" in captured.captured_queries[-1]["sql"]
    in_2021 = orders.filter(placed_at__year=2021)
    months = changelist.periods_with_rows(in_2021, field="placed_at", kind="month")
    assert [(start.year, start.month) for start in months] == [(2021, 3)]


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
