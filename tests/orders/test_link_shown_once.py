"""The plain order link exists only in the response that shows it (and in the
customer's e-mail): creating a request or re-issuing its link in the admin
answers the POST with the link, and no session row, message or cookie holds it."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from orders.models import SupportRequest
from tests.factories import agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client):
    client.force_login(agent("hd"))
    return client


ADD_URL = "/admin/orders/supportrequest/add/"


def _add_form(**overrides):
    return {
        "company": "Muster GmbH",
        "contact_name": "Max Muster",
        "email": "max@muster.example",
        "case_reference": "HD-1",
        "language": "de",
        "country": "DE",
        "vat_id": "",
        "send_email": "on",
        **overrides,
    }


def _token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def _nowhere_but_the_page(client, response, token: str) -> None:
    assert token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    for session in Session.objects.all():
        assert token not in str(session.get_decoded())
        assert token not in session.session_data
    for cookie in list(client.cookies.values()) + list(response.cookies.values()):
        assert token not in cookie.value
    # The next page (where Django's messages would surface) does not show it either.
    after = client.get(reverse("admin:orders_supportrequest_changelist")).content.decode()
    assert token not in after


def test_creating_a_request_shows_its_link_in_the_answer_only(agent_client, offer, mailoutbox):
    response = agent_client.post(ADD_URL, _add_form())
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('class="order-link"')
    url = html[html.index(">", start) + 1 : html.index("</code>", start)]
    token = _token_of(url)
    assert SupportRequest.objects.count() == 1
    _nowhere_but_the_page(agent_client, response, token)


def test_reissuing_shows_the_new_link_in_the_answer_only(agent_client, offer):
    agent_client.post(ADD_URL, _add_form(send_email=""))
    request = SupportRequest.objects.get()
    response = agent_client.post(
        reverse("admin:orders_supportrequest_changelist"),
        {"action": "resend_link", "_selected_action": [request.pk]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('class="order-link"')
    url = html[html.index(">", start) + 1 : html.index("</code>", start)]
    _nowhere_but_the_page(agent_client, response, _token_of(url))
