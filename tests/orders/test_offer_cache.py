"""The order page's cached offer (orders.selectors.offer_for_page): fast, never wrong
for long, and never the basis of an order."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from legal.models import LegalDocument
from orders import selectors
from orders.models import Order
from tests.factories import TariffFactory, published_document

pytestmark = pytest.mark.django_db


def url(token):
    return f"/auftrag/{token}/"


def test_second_view_of_an_open_link_takes_one_query(
    client, open_request, django_assert_num_queries
):
    _request, token = open_request
    assert client.get(url(token)).status_code == 200
    with django_assert_num_queries(1):  # the link's request; the offer comes from the cache
        assert client.get(url(token)).status_code == 200


def test_publishing_a_new_version_shows_it_on_the_next_view(client, open_request, offer):
    _request, token = open_request
    assert offer["asb"].get_absolute_url() in client.get(url(token)).content.decode()
    new = published_document(kind=LegalDocument.Kind.ASB, title="ASB, neue Fassung")
    html = client.get(url(token)).content.decode()
    assert new.get_absolute_url() in html and "ASB, neue Fassung" in html
    assert offer["asb"].get_absolute_url() not in html


def test_a_new_tariff_shows_on_the_next_view(client, open_request, offer):
    _request, token = open_request
    assert "100,00 €" in client.get(url(token)).content.decode()
    TariffFactory(valid_from=timezone.now() - timedelta(minutes=1), base_fee="120.00")
    assert "120,00 €" in client.get(url(token)).content.decode()


def test_cached_offer_ends_when_an_upcoming_version_comes_into_force(offer):
    now = timezone.now()
    upcoming = published_document(kind=LegalDocument.Kind.ASB, valid_from=now + timedelta(hours=1))
    assert selectors.offer_for_page(language="de", at=now).asb == offer["asb"]
    assert selectors.offer_next_change(after=now) == upcoming.valid_from
    later = upcoming.valid_from + timedelta(seconds=1)
    assert selectors.offer_for_page(language="de", at=later).asb == upcoming


def test_cached_offer_is_refreshed_after_the_configured_seconds(offer, settings):
    settings.ORDER_OFFER_CACHE_SECONDS = 30
    now = timezone.now()
    assert selectors.offer_for_page(language="de", at=now).asb == offer["asb"]
    cache.set("orders.offer.de", (now, now + timedelta(seconds=30), "stale"))
    assert selectors.offer_for_page(language="de", at=now + timedelta(seconds=29)) == "stale"
    fresh = selectors.offer_for_page(language="de", at=now + timedelta(seconds=30))
    assert fresh.asb == offer["asb"]


def test_cache_can_be_turned_off(offer, settings, django_assert_num_queries):
    settings.ORDER_OFFER_CACHE_SECONDS = 0
    selectors.offer_for_page(language="de")
    with django_assert_num_queries(3):  # privacy notice, ASB, tariff
        selectors.offer_for_page(language="de")


def test_submit_checks_the_database_not_the_cached_offer(client, open_request, offer, form_data):
    """A page shown from a stale cache cannot produce an order on a superseded version."""
    _request, token = open_request
    client.get(url(token))
    stale = selectors.offer_for_page(language="de")
    new = published_document(kind=LegalDocument.Kind.ASB, title="ASB, neue Fassung")
    # As another worker without a shared cache would still hold it:
    now = timezone.now()
    cache.set("orders.offer.de", (now, now + timedelta(minutes=1), stale))
    assert offer["asb"].get_absolute_url() in client.get(url(token)).content.decode()
    response = client.post(url(token), {**form_data, "consent": "on"})
    assert response.status_code == 409
    assert new.get_absolute_url() in response.content.decode()  # the new text, read fresh
    assert not Order.objects.exists()
