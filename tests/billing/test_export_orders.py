"""The invoicing CSV: one row per order with what an invoice needs, streamed."""

import csv
import io
import types
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing import services as billing_services
from billing.exports import ORDER_COLUMNS, order_csv_lines, orders_for_export
from orders import services
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db


def ago(minutes):
    return timezone.now() - timedelta(minutes=minutes)


@pytest.fixture
def lead():
    return agent("lead", "Helpdesk", "Helpdesk lead")


def rows_of(orders) -> list[dict[str, str]]:
    text = "".join(order_csv_lines(orders))
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")
    header, *rows = list(reader)
    assert tuple(header) == ORDER_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_a_billed_order_row_has_everything_the_invoice_needs(offer, lead):
    # Both sessions on one day whatever the time the test runs at: yesterday noon.
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    noon -= timedelta(days=1)
    order = billing_order(offer=offer, placed_at=noon - timedelta(hours=1))
    billing_services.session_record(
        order=order, started_at=noon, ended_at=noon + timedelta(minutes=12), by=lead
    )
    billing_services.session_record(
        order=order,
        started_at=noon + timedelta(minutes=30),
        ended_at=noon + timedelta(minutes=39),
        by=lead,
    )
    for to in ("completed", "billed"):
        services.order_transition(order=order, to=to, by=lead)
    [row] = rows_of(orders_for_export())
    assert row["Auftragsnummer"] == order.number
    assert row["Firma"] == "Maschinenbau Muster GmbH"
    assert row["Ansprechpartner"] == "Erika Muster"
    assert row["E-Mail"] == "technik@muster.example"
    assert row["Vorgangsnummer"] == "HD-4711"
    assert row["Land"] == "DE"
    assert row["Leistungsdatum"] == noon.strftime("%d.%m.%Y")
    assert row["Minuten"] == "21,00"
    assert row["Takte"] == "2"
    assert row["Taktlänge (Min.)"] == "15"
    assert row["Grundgebühr"] == "100,00"
    assert row["Preis je Takt"] == "25,00"
    assert (row["Netto"], row["USt-Satz (%)"], row["USt"], row["Brutto"]) == (
        "150,00",
        "19,00",
        "28,50",
        "178,50",
    )
    assert row["Währung"] == "EUR"
    assert row["USt-Hinweis"] == ""
    assert row["ASB-Version"] == str(order.asb_document.version)
    assert row["Status"] == "billed"


def test_reverse_charge_and_transferred_rows(offer, lead):
    rc = billing_order(
        offer=offer, country="AT", vat_id="ATU13585627", vat_treatment="reverse_charge"
    )
    moved = billing_order(offer=offer)
    services.order_transition(
        order=moved, to="transferred", by=lead, field_service_reference="FS-77"
    )
    rows = {r["Auftragsnummer"]: r for r in rows_of(orders_for_export())}
    assert rows[rc.number]["USt-IdNr."] == "ATU13585627"
    assert rows[rc.number]["Land"] == "AT"
    assert (rows[rc.number]["USt"], rows[rc.number]["Brutto"]) == ("0,00", "100,00")
    assert rows[rc.number]["USt-Hinweis"] == "Steuerschuldnerschaft des Leistungsempfängers"
    assert rows[moved.number]["Status"] == "transferred"
    assert rows[moved.number]["Field-Service-Referenz"] == "FS-77"


def test_period_bounds_are_inclusive_local_days(offer):
    day = date(2026, 3, 10)
    start_of_day = timezone.make_aware(datetime(2026, 3, 10, 0, 0))
    first = billing_order(offer=offer, placed_at=start_of_day)
    last = billing_order(offer=offer, placed_at=start_of_day + timedelta(hours=23, minutes=59))
    billing_order(offer=offer, placed_at=start_of_day + timedelta(days=1))
    billing_order(offer=offer, placed_at=start_of_day - timedelta(seconds=1))
    numbers = [r["Auftragsnummer"] for r in rows_of(orders_for_export(date_from=day, date_to=day))]
    assert numbers == sorted([first.number, last.number])


def test_inverted_period_is_refused():
    with pytest.raises(ValueError):
        orders_for_export(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1))


def test_export_reads_lazily_with_a_constant_number_of_queries(offer, lead):
    def export_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            lines = order_csv_lines(orders_for_export())
            assert isinstance(lines, types.GeneratorType)
            list(lines)
        return len(queries)

    for _ in range(3):
        order = billing_order(offer=offer)
        billing_services.session_record(order=order, started_at=ago(60), ended_at=ago(48), by=lead)
    few = export_queries()
    for _ in range(12):
        order = billing_order(offer=offer)
        billing_services.session_record(order=order, started_at=ago(60), ended_at=ago(48), by=lead)
    assert export_queries() == few
