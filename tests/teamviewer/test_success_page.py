"""The customer's success page: the connect box once the case exists, a
refreshing "being prepared" notice while it is created, today's steps otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order
from teamviewer import services
from teamviewer.models import ServiceCase
from tests.factories import support_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def ordered(client, offer, tv_fake, consented_form_data, django_capture_on_commit_callbacks):
    """A customer who just ordered through the page; the open-case task not yet run."""
    request, token = support_request()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/auftrag/{token}/", consented_form_data)
    assert response.status_code == 303
    order = Order.objects.get(support_request=request)
    return order, token


def _page(client, token: str, language: str = "de") -> str:
    prefix = "/en/order" if language == "en" else "/auftrag"
    suffix = "placed" if language == "en" else "erteilt"
    response = client.get(f"{prefix}/{token}/{suffix}/")
    assert response.status_code == 200
    return response.content.decode()


def test_while_the_case_is_created_the_page_says_so_and_refreshes(client, ordered):
    _order, token = ordered
    page = _page(client, token)
    assert "Ihre Verbindung wird vorbereitet" in page
    assert 'data-teamviewer-refresh="5"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "teamviewer/connect.js" in page
    assert "Jetzt verbinden" not in page


def test_once_the_case_is_open_the_page_shows_the_join_link_and_code(client, ordered, tv_fake):
    order, token = ordered
    case = services.case_open(case_id=order.teamviewer_case.pk)
    assert case is not None
    page = _page(client, token)
    assert "Jetzt verbinden" in page
    assert f'href="{case.end_customer_link}"' in page
    assert case.code in page
    assert "data-teamviewer-refresh" not in page
    assert "Ihre Verbindung wird vorbereitet" not in page
    # The supporter's link is for the helpdesk only.
    assert case.supporter_link not in page


def test_connect_box_in_english(client, ordered):
    order, token = ordered
    case = services.case_open(case_id=order.teamviewer_case.pk)
    assert case is not None
    page = _page(client, token, "en")
    assert "Connect now" in page and case.code in page


def test_failed_case_shows_todays_steps(client, ordered, tv_fake):
    order, token = ordered
    tv_fake.revoke()
    services.case_open(case_id=order.teamviewer_case.pk)
    page = _page(client, token)
    assert "Unser Helpdesk meldet sich bei Ihnen" in page
    assert "Jetzt verbinden" not in page and "vorbereitet" not in page
    assert "Telefon" in page


def test_after_the_wait_the_page_stops_refreshing(client, ordered, settings):
    _order, token = ordered
    # The order's timestamp is evidence (the database refuses to change it):
    # the wait runs out instead.
    settings.TEAMVIEWER_CONNECT_WAIT_SECONDS = 0
    page = _page(client, token)
    assert "data-teamviewer-refresh" not in page
    assert "Unser Helpdesk meldet sich bei Ihnen" in page


def test_expired_case_link_is_not_offered(client, ordered):
    order, token = ordered
    case = services.case_open(case_id=order.teamviewer_case.pk)
    assert case is not None
    ServiceCase.objects.filter(pk=case.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    page = _page(client, token)
    assert "Jetzt verbinden" not in page


def test_demo_is_marked(client, ordered, settings):
    order, token = ordered
    services.case_open(case_id=order.teamviewer_case.pk)
    settings.TEAMVIEWER_DEMO = True
    page = _page(client, token)
    assert 'id="teamviewer-demo"' in page


def test_success_page_query_budget_with_the_integration(
    client, ordered, django_assert_max_num_queries
):
    _order, token = ordered
    # The link with its order (1), the session-less page's case (1), plus one spare.
    with django_assert_max_num_queries(3):
        _page(client, token)


def test_reopened_order_link_shows_the_connect_box_too(client, ordered):
    order, token = ordered
    case = services.case_open(case_id=order.teamviewer_case.pk)
    assert case is not None
    page = client.get(f"/auftrag/{token}/").content.decode()
    assert "Jetzt verbinden" in page and case.code in page


def test_integration_off_shows_todays_page(client, ordered, settings):
    order, token = ordered
    services.case_open(case_id=order.teamviewer_case.pk)
    settings.TEAMVIEWER_API_TOKEN = ""
    page = _page(client, token)
    assert "Jetzt verbinden" not in page
    assert "Unser Helpdesk meldet sich bei Ihnen" in page
