from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import TariffFactory

pytestmark = pytest.mark.django_db


def test_info_page_has_no_checkbox_or_button_and_points_to_the_link(client):
    TariffFactory()
    html = client.get("/").content.decode()
    assert 'type="checkbox"' not in html and "<button" not in html
    assert "persönlichen Link in der E-Mail unseres Helpdesks" in html
    assert "Was ist TeamViewer?" in html and "Remote Support Datenschutzerklärung" in html


def test_info_page_prices_come_from_the_current_tariff(client):
    TariffFactory()
    assert "100,00 €" in client.get("/").content.decode()
    TariffFactory(
        valid_from=timezone.now() - timedelta(minutes=1),
        base_fee=Decimal("120.00"),
        block_price=Decimal("30.00"),
    )
    html = client.get("/").content.decode()
    assert "120,00 €" in html and "30,00 €" in html and "100,00 €" not in html
    assert "€120.00" in client.get("/en/").content.decode()


def test_info_page_query_budget(client, django_assert_max_num_queries, django_assert_num_queries):
    TariffFactory()
    # The first view fills the offer cache (two documents, tariff, next change) ...
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200
    # ... later ones read no database at all.
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_demo_data_prints_a_working_order_link_last(client, settings, capsys):
    settings.DEBUG = True
    from io import StringIO

    out = StringIO()
    call_command("demo_data", stdout=out)
    first = out.getvalue().strip().splitlines()[-1]
    call_command("demo_data", stdout=out)
    second = out.getvalue().strip().splitlines()[-1]
    assert first.startswith("Demo-Bestelllink: http://127.0.0.1:8000/auftrag/")
    assert first != second  # a fresh link each run; the old one stops working
    path = second.split("8000", 1)[1]
    response = client.get(path)
    assert response.status_code == 200
    assert "kostenpflichtig bestellen</button>" in response.content.decode()
    assert client.get(first.split("8000", 1)[1]).status_code == 404
