"""An agent's billing day in Chromium, as a new user would do it: log in, record
two sessions (12 and 9 minutes) on an order, complete and bill it, export the
CSV and download the statement; transfer another order to field service."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from orders.models import Order
from tests.e2e.support import log_in_to_admin
from tests.factories import billing_order, ensure_helpdesk_groups, order_offer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "e2e-lead-password-2026"


@pytest.fixture
def lead_page(live_server, page: Page) -> Page:
    ensure_helpdesk_groups()
    user = User.objects.create_user("e2e-lead", password=PASSWORD, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=["Helpdesk", "Helpdesk lead"]))
    log_in_to_admin(page, live_server.url, username="e2e-lead", password=PASSWORD)
    return page


def fill_session(page: Page, row: int, start, minutes: int, note: str) -> None:
    end = start + timedelta(minutes=minutes)
    prefix = f"sessions-{row}"
    page.locator(f"input[name={prefix}-started_at_0]").fill(start.strftime("%d.%m.%Y"))
    page.locator(f"input[name={prefix}-started_at_1]").fill(start.strftime("%H:%M:%S"))
    page.locator(f"input[name={prefix}-ended_at_0]").fill(end.strftime("%d.%m.%Y"))
    page.locator(f"input[name={prefix}-ended_at_1]").fill(end.strftime("%H:%M:%S"))
    page.locator(f"input[name={prefix}-note]").fill(note)


def run_action(page: Page, live_server, order: Order, label: str) -> None:
    page.goto(live_server.url + reverse("admin:orders_order_changelist"))
    page.locator(f"input.action-select[value='{order.pk}']").check()
    page.locator("select[name=action]").select_option(label=label)
    page.get_by_role("button", name="Ausführen").first.click()


def test_record_complete_bill_export_and_statement(live_server, lead_page: Page):
    page = lead_page
    # Placed now, so that the export of "today" finds it whatever the time of day.
    order = billing_order(offer=order_offer(), placed_at=timezone.now())
    change_url = live_server.url + reverse("admin:orders_order_change", args=[order.pk])
    start = timezone.localtime() - timedelta(hours=2)

    page.goto(change_url)
    fill_session(page, 0, start, 12, "Parametrierung Achse 1")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist")).to_be_visible()
    fill_session(page, 1, start + timedelta(minutes=40), 9, "Kontrolle")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()

    charge = page.locator(".field-charge_summary")
    expect(charge).to_contain_text("21,00 Minuten")
    expect(charge).to_contain_text("2 \u00d7 25,00 €")
    expect(charge).to_contain_text("150,00 €")
    expect(charge).to_contain_text("28,50 €")
    expect(charge).to_contain_text("178,50 €")
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS

    run_action(page, live_server, order, "Als abgeschlossen markieren")
    expect(page.locator(".messagelist")).to_contain_text("abgeschlossen")
    run_action(page, live_server, order, "Als abgerechnet markieren")
    expect(page.locator(".messagelist")).to_contain_text("abgerechnet")
    order.refresh_from_db()
    assert order.status == Order.Status.BILLED

    # The export page: billed orders of the day the order was placed (two hours
    # ago: yesterday, shortly after midnight).
    page.goto(live_server.url + reverse("admin:orders_order_changelist"))
    page.get_by_role("link", name="CSV-Export für die Rechnungsstellung").click()
    placed_day = timezone.localtime(order.placed_at).strftime("%d.%m.%Y")
    page.get_by_label("Bestellt von (Datum)").fill(placed_day)
    page.get_by_label("Bestellt bis (Datum, einschließlich)").fill(placed_day)
    page.get_by_label("abgerechnet").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="CSV herunterladen").click()
    content = download_info.value.path().read_text(encoding="utf-8-sig")
    header, row = list(csv.reader(io.StringIO(content), delimiter=";"))
    record = dict(zip(header, row, strict=True))
    assert (record["Auftragsnummer"], record["Brutto"], record["Status"]) == (
        order.number,
        "178,50",
        "billed",
    )

    page.goto(change_url)
    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="Leistungsnachweis (PDF)").click()
    assert pdf_info.value.suggested_filename == f"Leistungsnachweis-{order.number}.pdf"
    with open(pdf_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_transfer_to_field_service_asks_for_the_reference(live_server, lead_page: Page):
    page = lead_page
    order = billing_order(offer=order_offer())
    run_action(page, live_server, order, "An Field-Service-Einsatz übertragen …")
    expect(page.get_by_label("Field-Service-Auftragsnummer")).to_be_visible()
    # The reference is required (the browser refuses to send the form without it).
    expect(page.get_by_label("Field-Service-Auftragsnummer")).to_have_attribute("required", "")
    page.get_by_label("Field-Service-Auftragsnummer").fill("FS-2026-0815")
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator(".messagelist")).to_contain_text("Field-Service")
    order.refresh_from_db()
    assert (order.status, order.field_service_reference) == ("transferred", "FS-2026-0815")
    page.goto(live_server.url + reverse("admin:orders_order_change", args=[order.pk]))
    expect(page.locator(".field-charge_summary")).to_contain_text(
        re.compile("Field-Service-Einsatz FS-2026-0815")
    )
