"""The helpdesk's journey in the admin, in Chromium: an agent (group "Helpdesk")
logs in, creates a support request, sees the customer's e-mail in the outbox,
the customer orders through the e-mailed link, the agent records a remote
session, completes the order and exports it for invoicing.

Screenshots at desktop and phone width go to test-results/helpdesk/ (not committed).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from orders.models import Order, SupportRequest
from tests.e2e.support import log_in_to_admin, shoot, watch_console
from tests.factories import ensure_helpdesk_groups, order_offer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "e2e-agent-password-2026"
JOURNEY = "helpdesk"


def helpdesk_agent() -> User:
    """An agent in the "Helpdesk" group; the group comes from a data migration,
    which the flush after an earlier transactional test removed: recreate it."""
    ensure_helpdesk_groups()
    group = Group.objects.get(name="Helpdesk")
    user = User.objects.create_user("e2e-agent", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    return user


def test_helpdesk_journey(live_server, page: Page):
    problems = watch_console(page)
    order_offer()
    helpdesk_agent()

    # Log in.
    page.goto(live_server.url + reverse("admin:index"))
    shoot(page, JOURNEY, "1-login")
    log_in_to_admin(page, live_server.url, username="e2e-agent", password=PASSWORD)
    # The start page: the helpdesk's workplace, nothing to do yet.
    expect(page.locator(".workplace-attention")).to_contain_text("Neu bestellt")

    # Create a support request for an English-speaking customer; the link goes out by e-mail.
    page.get_by_role("link", name="Supportanfragen").click()
    page.get_by_role("link", name=re.compile("Supportanfrage hinzufügen")).click()
    page.get_by_label("Firma").fill("Smith Drives Ltd")
    page.get_by_label("Ansprechpartner").fill("John Smith")
    page.get_by_label("E-Mail-Adresse").fill("john@smith.example")
    page.get_by_label("Vorgangsnummer").fill("HD-2026-0815")
    page.get_by_label("Sprache").select_option("en")
    page.get_by_label("Land").select_option("GB")
    expect(page.get_by_label("Link jetzt per E-Mail senden")).to_be_checked()
    shoot(page, JOURNEY, "2-new-request")
    page.get_by_role("button", name="Sichern", exact=True).click()

    request = SupportRequest.objects.get()
    # The answer to the POST shows the link, once; nothing else ever holds it.
    expect(page.locator("code.order-link")).to_be_visible()
    shown_link = page.locator("code.order-link").inner_text()
    expect(page.get_by_role("button", name="Link kopieren")).to_be_visible()
    shoot(page, JOURNEY, "3-link-shown-once")

    # The e-mail in the outbox: to the customer, in English, with the link shown above.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["john@smith.example"]
    assert "John Smith" in email.body
    assert "Commercial conditions" in email.body and "Konditionen" not in email.body
    assert shown_link in email.body
    assert "/en/order/" in shown_link
    assert request.emailed_at is not None

    # The customer orders through the e-mailed link (the test server's address).
    customer = page.context.new_page()
    customer.goto(live_server.url + re.sub(r"^https?://[^/]+", "", shown_link))
    customer.get_by_role("checkbox").check()
    customer.get_by_role("button", name="Order with obligation to pay").click()
    expect(customer).to_have_url(re.compile(r"/en/order/.+/placed/$"))
    customer.close()
    order = Order.objects.get()
    assert len(mail.outbox) == 2  # the helpdesk is notified; the customer gets no e-mail
    assert mail.outbox[1].to != ["john@smith.example"]

    # Record a 20-minute session on the order.
    page.goto(live_server.url + reverse("admin:orders_order_changelist"))
    page.get_by_role("link", name=order.number).click()
    start = timezone.localtime() - timedelta(hours=1)
    end = start + timedelta(minutes=20)
    page.locator("input[name=sessions-0-started_at_0]").fill(start.strftime("%d.%m.%Y"))
    page.locator("input[name=sessions-0-started_at_1]").fill(start.strftime("%H:%M:%S"))
    page.locator("input[name=sessions-0-ended_at_0]").fill(end.strftime("%d.%m.%Y"))
    page.locator("input[name=sessions-0-ended_at_1]").fill(end.strftime("%H:%M:%S"))
    page.locator("input[name=sessions-0-note]").fill("Parametrierung Achse 1")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    expect(page.locator(".messagelist")).to_be_visible()
    charge = page.locator(".field-charge_summary")
    expect(charge).to_contain_text("2 \u00d7 25,00 €")  # 20 minutes: two started blocks
    expect(charge).to_contain_text("150,00 €")
    shoot(page, JOURNEY, "4-session-recorded")
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS

    # Complete it.
    page.goto(live_server.url + reverse("admin:orders_order_changelist"))
    page.locator(f"input.action-select[value='{order.pk}']").check()
    page.locator("select[name=action]").select_option(label="Als abgeschlossen markieren")
    page.get_by_role("button", name="Ausführen").first.click()
    expect(page.locator(".messagelist")).to_contain_text("abgeschlossen")
    shoot(page, JOURNEY, "5-completed")
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED

    # Export the completed orders of today for the ERP.
    page.get_by_role("link", name="CSV-Export für die Rechnungsstellung").click()
    today = timezone.localdate().strftime("%d.%m.%Y")
    page.get_by_label("Bestellt von (Datum)").fill(today)
    page.get_by_label("Bestellt bis (Datum, einschließlich)").fill(today)
    page.get_by_label("abgeschlossen").check()
    shoot(page, JOURNEY, "6-export")
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV herunterladen").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(rows) == 1
    record = dict(zip(header, rows[0], strict=True))
    assert (record["Auftragsnummer"], record["Firma"], record["Minuten"], record["Takte"]) == (
        order.number,
        "Smith Drives Ltd",
        "20,00",
        "2",
    )
    assert record["Netto"] == "150,00"
    assert problems == []
