"""The contact journey in Chromium: footer link, form, thank-you page (German and English).

Screenshots at desktop and phone width go to test-results/contact/ (not committed).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from contact.models import ContactMessage
from tests.e2e.support import fill_in, shoot, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

JOURNEY = "contact"


def test_contact_journey_in_german(live_server, page: Page):
    problems = watch_console(page)
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Kontakt", exact=True).click()
    expect(page).to_have_url(re.compile(r"/kontakt/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt zum Helpdesk")
    shoot(page, JOURNEY, "form-de")

    # Submitting empty shows errors tied to the fields, nothing is stored.
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Angaben.")
    # Focus moves to the error summary, so screen readers announce it at once.
    expect(page.get_by_role("alert")).to_be_focused()
    page.get_by_role("alert").get_by_role("link", name="E-Mail-Adresse").click()
    expect(page.get_by_label("E-Mail-Adresse")).to_be_focused()
    expect(page.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    assert ContactMessage.objects.count() == 0
    shoot(page, JOURNEY, "errors-de")

    fill_in(
        page,
        {
            "Name": "Erika Mustermann",
            "Firma": "Muster Maschinenbau GmbH",
            "E-Mail-Adresse": "erika@muster.example",
            "Telefon (optional)": "+49 5154 123-45",
            "Bestellnummer oder Vorgangsnummer (optional)": "RS-2026-00042",
            "Nachricht": "Der Antrieb meldet <b>F0815</b>. Bitte um Rückruf.",
        },
    )
    page.get_by_role("button", name="Nachricht senden").click()

    expect(page).to_have_url(re.compile(r"/kontakt/danke/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Nachricht")
    shoot(page, JOURNEY, "thanks-de")
    stored = ContactMessage.objects.get()
    assert stored.message == "Der Antrieb meldet <b>F0815</b>. Bitte um Rückruf."
    assert stored.language == "de"
    assert len(mail.outbox) == 1
    assert problems == []


def test_contact_journey_in_english(live_server, page: Page):
    problems = watch_console(page)
    page.goto(live_server.url + "/en/")
    page.get_by_role("contentinfo").get_by_role("link", name="Contact", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/contact/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact the helpdesk")
    shoot(page, JOURNEY, "form-en")

    fill_in(
        page,
        {
            "Name": "John Smith",
            "Company": "Smith Drives Ltd",
            "E-mail address": "not-an-address",
            "Message": "Our inverter shows error F0815, please call back.",
        },
    )
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid email address.")
    page.get_by_label("E-mail address").fill("john@smith.example")
    page.get_by_role("button", name="Send message").click()

    expect(page).to_have_url(re.compile(r"/en/contact/thank-you/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your message")
    shoot(page, JOURNEY, "thanks-en")
    assert ContactMessage.objects.get().language == "en"
    assert problems == []


def test_keyboard_never_reaches_the_honeypot(live_server, page: Page):
    page.goto(live_server.url + "/kontakt/")
    page.get_by_label("Nachricht").focus()
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.name || document.activeElement.tagName")
        )
    assert "website" not in reached
    assert "BUTTON" in reached
