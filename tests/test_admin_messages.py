"""Bad input in the admin gets readable messages: no constraint, table or
field name of the database in any page staff see."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from tests.factories import agent, billing_order
from tests.orders.admin_helpers import form_fields

pytestmark = pytest.mark.django_db


def internal_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        names.add(model._meta.db_table)
        names.update(c.name for c in model._meta.constraints)
    return names


def assert_readable(html: str) -> None:
    leaked = sorted(name for name in internal_names() if name in html)
    assert not leaked, f"internal names on the page: {leaked}"
    assert "Bedingung „" not in html and "Constraint “" not in html


def test_every_constraint_has_a_readable_message():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if model._meta.app_label not in {"orders", "billing", "legal"}:
                continue
            message = str(constraint.get_violation_error_message())
            assert constraint.name not in message, (model, constraint.name)


@pytest.mark.parametrize(
    ("start_offset", "minutes"),
    [
        (30, -5),  # end before start
        (30, 0),  # zero length
        (-10, 5),  # in the future
    ],
)
def test_session_inline_bad_input_reads_well(client, offer, start_offset, minutes):
    lead = agent("lead", "Helpdesk", "Helpdesk lead")
    client.force_login(lead)
    order = billing_order(offer=offer)
    url = reverse("admin:orders_order_change", args=[order.pk])
    data = form_fields(client.get(url).content.decode(), "order_form")
    start = timezone.localtime(timezone.now() - timedelta(minutes=start_offset))
    end = start + timedelta(minutes=minutes)
    data.update(
        {
            "sessions-0-started_at_0": start.strftime("%d.%m.%Y"),
            "sessions-0-started_at_1": start.strftime("%H:%M:%S"),
            "sessions-0-ended_at_0": end.strftime("%d.%m.%Y"),
            "sessions-0-ended_at_1": end.strftime("%H:%M:%S"),
        }
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" in html
    assert_readable(html)
    assert not order.sessions.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"base_fee": "-1", "vat_rate": "19"},
        {"base_fee": "100", "vat_rate": "150"},
        {"base_fee": "100", "vat_rate": "19", "block_minutes": "0"},
    ],
)
def test_tariff_bad_input_reads_well(client, fields):
    client.force_login(agent("lead", "Helpdesk", "Helpdesk lead"))
    data = {
        "valid_from_0": "01.01.2030",
        "valid_from_1": "00:00:00",
        "block_price": "25",
        "block_minutes": "15",
        "currency": "EUR",
        **fields,
    }
    response = client.post(reverse("admin:billing_tariff_add"), data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert_readable(response.content.decode())


@pytest.mark.parametrize(
    "fields",
    [
        {"vat_id": "ATU13585628"},
        {"vat_id": "FR40303265045"},
        {"country": "CH", "business_confirmed": "on"},
        {"email": "kein-email"},
    ],
)
def test_support_request_bad_input_reads_well(client, offer, fields):
    client.force_login(agent("hd", "Helpdesk"))
    data = {"company": "ACME", "email": "it@acme.example", "language": "de", "country": "AT"}
    response = client.post(reverse("admin:orders_supportrequest_add"), {**data, **fields})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert_readable(response.content.decode())
