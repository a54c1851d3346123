"""Statement of services (PDF per order)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from billing import services as billing_services
from billing.statements import render_statement_html, render_statement_pdf, statement_filename
from orders import services
from tests.factories import agent, billing_order

pytestmark = pytest.mark.django_db


def ago(minutes):
    return timezone.now() - timedelta(minutes=minutes)


@pytest.fixture
def helpdesk():
    return agent("hd")


@pytest.fixture
def order(offer, helpdesk):
    order = billing_order(offer=offer)
    billing_services.session_record(order=order, started_at=ago(60), ended_at=ago(48), by=helpdesk)
    billing_services.session_record(order=order, started_at=ago(30), ended_at=ago(21), by=helpdesk)
    order.refresh_from_db()
    return order


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_statement_lists_customer_evidence_sessions_and_the_calculation(order):
    text = text_of(render_statement_html(order))
    assert f"Leistungsnachweis zum Auftrag {order.number}" in text
    assert "Maschinenbau Muster GmbH" in text
    assert "HD-4711" in text
    assert f"Version {order.asb_document.version}" in text
    assert order.asb_sha256 in text and order.privacy_sha256 in text
    assert "12,00" in text and "9,00" in text
    assert "21,00 Minuten" in text
    assert "1 \u00d7 100,00 €" in text
    assert "2 \u00d7 25,00 €" in text and "50,00 €" in text
    assert "Summe netto 150,00 €" in text
    assert "Umsatzsteuer 19 % 28,50 €" in text
    assert "Gesamtbetrag 178,50 €" in text
    assert "Steuerschuldnerschaft" not in text


def test_reverse_charge_statement_has_no_vat_and_the_note(offer):
    order = billing_order(
        offer=offer, country="AT", vat_id="ATU13585627", vat_treatment="reverse_charge"
    )
    text = text_of(render_statement_html(order))
    assert "Umsatzsteuer 0 % 0,00 €" in text
    assert "Gesamtbetrag 100,00 €" in text
    assert "Steuerschuldnerschaft des Leistungsempfängers" in text
    assert "ATU13585627" in text


def test_transferred_statement_says_where_the_charges_go(order, helpdesk):
    lead = agent("lead", "Helpdesk", "Helpdesk lead")
    services.order_transition(
        order=order, to="transferred", by=lead, field_service_reference="FS-2026-0815"
    )
    text = text_of(render_statement_html(order))
    assert "mit dem Field-Service-Einsatz FS-2026-0815 abgerechnet" in text


def test_statement_of_an_english_order_is_in_english(offer):
    order = billing_order(offer=offer, language="en")
    text = text_of(render_statement_html(order))
    assert "Statement of services for order" in text
    assert "€100.00" in text


def test_statement_pdf_is_a4_with_page_numbers(order):
    import weasyprint

    pdf = render_statement_pdf(order)
    assert pdf.startswith(b"%PDF")
    html = render_statement_html(order)
    pages = weasyprint.HTML(string=html).render().pages
    # A4 is 210 x 297 mm = 793.7 x 1122.5 CSS px.
    assert (round(pages[0].width), round(pages[0].height)) == (794, 1123)
    assert 'counter(page) " von " counter(pages)' in html
    assert "DejaVu Sans" in html
    assert statement_filename(order) == f"Leistungsnachweis-{order.number}.pdf"
