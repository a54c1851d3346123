"""The agents' order admin: list columns and query budget, sessions inline,
computed charge, actions, CSV export and statement download."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing import services as billing_services
from billing.models import RemoteSession
from orders.models import Order
from orders.texts import ACTOR_CUSTOMER
from tests.factories import agent, billing_order
from tests.orders.admin_helpers import form_fields

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:orders_order_changelist"


@pytest.fixture
def lead(db):
    return agent("lead", "Helpdesk", "Helpdesk lead")


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


def with_sessions(order, by, *spans):
    for start, end in spans:
        billing_services.session_record(
            order=order, started_at=ago(start), ended_at=ago(end), by=by
        )
    return order


def changelist_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_order_list_needs_the_same_number_of_queries_for_5_and_50_orders(lead_client, lead, offer):
    def add(n):
        for _ in range(n):
            with_sessions(billing_order(offer=offer), lead, (60, 48), (30, 21))

    add(5)
    few, page = changelist_queries(lead_client)
    assert page.count("178,50 €") == 5
    add(45)
    many, page = changelist_queries(lead_client)
    assert page.count("178,50 €") == 50
    assert few == many
    assert many <= 12


def test_order_list_shows_raw_minutes_blocks_and_gross(lead_client, lead, offer):
    order = with_sessions(billing_order(offer=offer), lead, (60, 48), (30, 21))
    page = lead_client.get(reverse(CHANGELIST)).content.decode()
    assert order.number in page
    assert '<td class="field-raw_minutes">21,00</td>' in page
    assert '<td class="field-blocks">2</td>' in page
    assert '<td class="field-gross_amount">178,50 €</td>' in page


def test_order_list_search_finds_company_email_and_case_reference(lead_client, offer):
    wanted = billing_order(offer=offer, company="Antriebstechnik Nord GmbH")
    other = billing_order(offer=offer, company="Andere AG")
    for term in ("Antriebstechnik", wanted.number, wanted.support_request.email):
        page = lead_client.get(reverse(CHANGELIST), {"q": term}).content.decode()
        assert wanted.number in page
        if term != wanted.support_request.email:
            assert other.number not in page


def test_order_list_filters_by_status_and_vat_treatment(lead_client, offer):
    billed = billing_order(offer=offer, status="billed")
    placed = billing_order(offer=offer)
    page = lead_client.get(reverse(CHANGELIST), {"status__exact": "billed"}).content.decode()
    assert billed.number in page
    assert placed.number not in page
    rc = billing_order(
        offer=offer, country="AT", vat_id="ATU13585627", vat_treatment="reverse_charge"
    )
    page = lead_client.get(
        reverse(CHANGELIST), {"vat_treatment__exact": "reverse_charge"}
    ).content.decode()
    assert rc.number in page
    assert placed.number not in page


def test_change_page_shows_sessions_charge_and_history(lead_client, lead, offer):
    order = with_sessions(billing_order(offer=offer), lead, (60, 48), (30, 21))
    page = lead_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert "178,50 €" in page and "28,50 €" in page and "150,00 €" in page
    assert "12,00" in page and "9,00" in page
    assert "orders.order.in_progress" in page
    assert reverse("admin:orders_order_statement", args=[order.pk]) in page


def test_agent_records_two_sessions_inline_and_the_order_starts(client, offer):
    helpdesk = agent("hd")
    client.force_login(helpdesk)
    order = billing_order(offer=offer)
    url = reverse("admin:orders_order_change", args=[order.pk])
    data = form_fields(client.get(url).content.decode(), "order_form")
    start1, start2 = timezone.localtime(ago(60)), timezone.localtime(ago(30))
    data.update(
        {
            "sessions-TOTAL_FORMS": "2",
            "sessions-0-started_at_0": start1.strftime("%d.%m.%Y"),
            "sessions-0-started_at_1": start1.strftime("%H:%M:%S"),
            "sessions-0-ended_at_0": start1.strftime("%d.%m.%Y"),
            "sessions-0-ended_at_1": (start1 + timedelta(minutes=12)).strftime("%H:%M:%S"),
            "sessions-0-note": "Parametrierung",
            "sessions-1-started_at_0": start2.strftime("%d.%m.%Y"),
            "sessions-1-started_at_1": start2.strftime("%H:%M:%S"),
            "sessions-1-ended_at_0": start2.strftime("%d.%m.%Y"),
            "sessions-1-ended_at_1": (start2 + timedelta(minutes=9)).strftime("%H:%M:%S"),
            "sessions-1-order": str(order.pk),
            "sessions-1-id": "",
            "_continue": "1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS
    assert order.sessions.count() == 2
    assert set(order.sessions.values_list("agent", flat=True)) == {helpdesk.pk}
    page = client.get(url).content.decode()
    assert "178,50 €" in page


def test_inline_refuses_a_session_ending_before_it_starts(lead_client, offer):
    order = billing_order(offer=offer)
    url = reverse("admin:orders_order_change", args=[order.pk])
    data = form_fields(lead_client.get(url).content.decode(), "order_form")
    start = timezone.localtime(ago(30))
    data.update(
        {
            "sessions-0-started_at_0": start.strftime("%d.%m.%Y"),
            "sessions-0-started_at_1": start.strftime("%H:%M:%S"),
            "sessions-0-ended_at_0": start.strftime("%d.%m.%Y"),
            "sessions-0-ended_at_1": (start - timedelta(minutes=5)).strftime("%H:%M:%S"),
        }
    )
    response = lead_client.post(url, data)
    assert response.status_code == 200
    assert "Das Ende der Sitzung muss nach ihrem Beginn liegen." in response.content.decode()
    assert not RemoteSession.objects.exists()


def test_final_orders_offer_no_session_row(lead_client, offer):
    order = billing_order(offer=offer, status="billed")
    page = lead_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert 'name="sessions-0-started_at_0"' not in page


def post_action(client, action, orders, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [o.pk for o in orders], **extra},
    )


def test_actions_complete_and_bill(lead_client, lead, offer):
    order = with_sessions(billing_order(offer=offer), lead, (60, 48))
    assert post_action(lead_client, "action_complete", [order]).status_code == 302
    assert post_action(lead_client, "action_bill", [order]).status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.BILLED


def test_refused_action_reports_and_changes_nothing(lead_client, offer):
    order = billing_order(offer=offer)
    response = post_action(lead_client, "action_bill", [order])
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    page = lead_client.get(reverse(CHANGELIST)).content.decode()
    assert "nicht erlaubt" in page


def test_transfer_asks_for_the_field_service_reference(lead_client, offer):
    order = billing_order(offer=offer, status="in_progress")
    first = post_action(lead_client, "action_transfer", [order])
    assert first.status_code == 200
    assert 'name="field_service_reference"' in first.content.decode()
    empty = post_action(lead_client, "action_transfer", [order], apply="1")
    assert empty.status_code == 200  # the form again, with an error
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS
    done = post_action(
        lead_client, "action_transfer", [order], apply="1", field_service_reference="FS-4711"
    )
    assert done.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.field_service_reference) == ("transferred", "FS-4711")


def test_cancel_asks_for_the_reason(lead_client, offer):
    order = billing_order(offer=offer)
    assert 'name="reason"' in post_action(lead_client, "action_cancel", [order]).content.decode()
    post_action(lead_client, "action_cancel", [order], apply="1", reason="Doppelt angelegt")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.events.get(to_status="cancelled").note == "Doppelt angelegt"


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_export_action_streams_the_selected_orders(lead_client, lead, offer):
    order = with_sessions(billing_order(offer=offer), lead, (60, 48), (30, 21))
    billing_order(offer=offer)
    response = post_action(lead_client, "action_export", [order])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = read_csv(response)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Auftragsnummer"] == order.number
    assert (row["Minuten"], row["Takte"], row["Netto"], row["USt"], row["Brutto"]) == (
        "21,00",
        "2",
        "150,00",
        "28,50",
        "178,50",
    )


def test_export_view_filters_by_period_and_status(lead_client, offer):
    now = timezone.localtime()
    inside = billing_order(offer=offer, status="completed", placed_at=now - timedelta(days=3))
    billing_order(offer=offer, status="completed", placed_at=now - timedelta(days=40))
    billing_order(offer=offer, status="cancelled", placed_at=now - timedelta(days=3))
    response = lead_client.get(
        reverse("admin:orders_order_export"),
        {
            "date_from": (now - timedelta(days=7)).strftime("%d.%m.%Y"),
            "date_to": now.strftime("%d.%m.%Y"),
            "statuses": ["completed"],
            "download": "1",
        },
    )
    assert response.status_code == 200
    rows = read_csv(response)
    assert [r[0] for r in rows[1:]] == [inside.number]


def test_export_of_an_empty_period_is_header_only(lead_client, offer):
    billing_order(offer=offer)
    response = lead_client.get(
        reverse("admin:orders_order_export"),
        {"date_from": "01.01.2020", "date_to": "31.01.2020", "download": "1"},
    )
    rows = read_csv(response)
    assert len(rows) == 1 and rows[0][0] == "Auftragsnummer"


def test_export_of_an_inverted_period_is_refused_with_a_message(lead_client):
    response = lead_client.get(
        reverse("admin:orders_order_export"),
        {"date_from": "31.01.2026", "date_to": "01.01.2026", "download": "1"},
    )
    assert response.status_code == 200
    assert "Das Ende des Zeitraums liegt vor seinem Beginn." in response.content.decode()


def test_export_with_garbage_dates_is_a_form_error_not_a_500(lead_client):
    response = lead_client.get(
        reverse("admin:orders_order_export"), {"date_from": "gestern", "statuses": ["x"]}
    )
    assert response.status_code == 200


def test_statement_pdf_is_downloadable(lead_client, lead, offer):
    order = with_sessions(billing_order(offer=offer), lead, (60, 48), (30, 21))
    response = lead_client.get(reverse("admin:orders_order_statement", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"Leistungsnachweis-{order.number}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_nobody_can_delete_an_order(admin_client, offer):
    order = billing_order(offer=offer)
    response = admin_client.post(
        reverse("admin:orders_order_delete", args=[order.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "delete_selected" not in page


def test_money_in_the_charge_is_decimal_exact(lead, offer):
    from billing.selectors import charge_of_annotated, with_recorded_time

    order = with_sessions(billing_order(offer=offer), lead, (60, 48), (30, 21))
    annotated = with_recorded_time(Order.objects.filter(pk=order.pk)).get()
    charge = charge_of_annotated(annotated)
    assert charge.gross == Decimal("178.50")


def test_order_list_shows_no_amount_for_a_cancelled_order(lead_client, lead, offer):
    order = billing_order(offer=offer)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED)
    page = lead_client.get(reverse(CHANGELIST)).content.decode()
    assert '<td class="field-gross_amount">-</td>' in page
    assert "119,00 €" not in page
    # The order's page says the same instead of a provisional calculation.
    page = lead_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert "Storniert: wird nicht berechnet." in page
    assert "Vorläufig" not in page


def test_history_names_the_customer_in_words(lead_client, offer):
    order = billing_order(offer=offer)
    order.events.create(
        action="orders.order.placed",
        actor_label=ACTOR_CUSTOMER,
        from_status="",
        to_status=Order.Status.PLACED,
    )
    page = lead_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert "Kunde (Bestellseite)" in page
    assert ">customer<" not in page
