"""Concurrent submits on PostgreSQL: threads with their own database connections
hit the real view at the same moment (a barrier releases them together)."""

import functools

import pytest
from django.test import Client

from orders.models import Order, OrderEvent
from tests.concurrency import run_together
from tests.factories import order_offer, support_request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _no_submit_rate_limit(settings):
    # Every thread posts from 127.0.0.1; the per-address limit is tested elsewhere.
    settings.ORDER_SUBMIT_RATE_LIMIT = "1000/m"


def _post_concurrently(urls: list[str], data: dict) -> list:
    """Each URL posted by its own client at the same moment; the status codes."""

    def post(url: str) -> int:
        return Client().post(url, data).status_code

    return run_together([functools.partial(post, url) for url in urls], timeout=120)


def _form_data(offer: dict) -> dict:
    return {
        "privacy_version": offer["privacy"].pk,
        "asb_version": offer["asb"].pk,
        "tariff_version": offer["tariff"].pk,
        "consent": "on",
    }


def test_twenty_simultaneous_submits_of_one_link_create_one_order(on_postgres):
    offer = order_offer()
    _request, token = support_request()
    results = _post_concurrently([f"/auftrag/{token}/"] * 20, _form_data(offer))
    assert results == [303] * 20
    assert Order.objects.count() == 1
    assert OrderEvent.objects.count() == 1


def test_fifty_simultaneous_orders_get_fifty_distinct_numbers(on_postgres):
    offer = order_offer()
    tokens = [support_request(case_reference=f"HD-{i}")[1] for i in range(50)]
    results = _post_concurrently([f"/auftrag/{t}/" for t in tokens], _form_data(offer))
    assert results == [303] * 50
    numbers = list(Order.objects.values_list("number", flat=True))
    assert len(numbers) == 50 and len(set(numbers)) == 50
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 51))
