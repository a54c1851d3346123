"""The customer's order journey in Chromium: open the e-mailed link, read the
ASB, press the button unticked, tick, order, see the success page, re-open the
link. Also with JavaScript disabled (the server gate holds) and keyboard only."""

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from orders.models import Order
from tests.e2e.support import shoot, watch_console
from tests.factories import order_offer, support_request

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = "kostenpflichtig bestellen"
ERROR = "Bitte bestätigen Sie mit dem Häkchen"


@pytest.fixture
def link(live_server):
    order_offer()
    _request, token = support_request()
    return f"{live_server.url}/auftrag/{token}/"


@dataclass(frozen=True)
class Texts:
    language: str
    heading: str
    asb_link: str
    asb_heading: str
    button: str
    error: str
    placed: str
    version: str
    reopened: str


GERMAN = Texts(
    "de",
    "Remote-Support",
    "Allgemeinen Servicebedingungen",
    "Allgemeine Servicebedingungen",
    BUTTON,
    ERROR,
    r"/auftrag/[^/]+/erteilt/$",
    "Version 1",
    "bereits erteilt",
)
ENGLISH = Texts(
    "en",
    "remote support",
    "General Service Terms",
    "Allgemeine Servicebedingungen",  # no English ASB published: the German one, binding
    "Order with obligation to pay",
    "Please tick the box",
    r"/en/order/[^/]+/placed/$",
    "Version 1",
    "already been placed",
)


@pytest.mark.parametrize("texts", [GERMAN, ENGLISH], ids=lambda t: t.language)
def test_customer_journey(texts: Texts, live_server, page: Page):
    """The e-mailed link, reading, the ASB and its PDF, the unticked attempt,
    the order, the success page and the link re-opened; screenshots of each step."""
    problems = watch_console(page)
    journey = f"order-{texts.language}"
    order_offer()
    support_request(language=texts.language, send_email=True)
    # The link from the e-mail (SITE_URL differs from the test server's address).
    match = re.search(r"https?://\S+?(/(?:en/order|auftrag)/[^/\s]+/)", str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    link = live_server.url + match.group(1)
    assert link.startswith(
        live_server.url + ("/en/order/" if texts.language == "en" else "/auftrag/")
    )

    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", texts.language)
    expect(page.get_by_role("heading", level=1)).to_contain_text(texts.heading, ignore_case=True)
    expect(page.get_by_text("Maschinenbau Muster GmbH").first).to_be_visible()
    shoot(page, journey, "1-order-page")

    # The ASB from the checkbox label, then back.
    page.locator("label[for=id_consent]").get_by_role("link", name=texts.asb_link).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(texts.asb_heading)
    shoot(page, journey, "2-asb")
    page.go_back()

    # The ASB as PDF, from the list of contract documents.
    documents = page.locator("section[aria-labelledby=documents-heading]")
    with page.expect_download() as download:
        documents.get_by_role("link", name=re.compile("PDF")).nth(1).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    button = page.get_by_role("button", name=texts.button, exact=True)
    expect(button).to_have_count(1)
    expect(button).to_be_enabled()
    checkbox = page.get_by_role("checkbox")
    expect(checkbox).to_have_count(1)
    expect(checkbox).not_to_be_checked()

    # Unticked: nothing is sent, the error is tied to the box and focus moves there.
    button.click()
    error = page.locator("#consent-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(texts.error)
    expect(checkbox).to_be_focused()
    expect(checkbox).to_have_attribute("aria-invalid", "true")
    expect(checkbox).to_have_attribute("aria-describedby", "consent-error")
    assert Order.objects.count() == 0
    shoot(page, journey, "3-unticked")

    checkbox.check()
    expect(error).to_be_hidden()
    button.click()
    expect(page).to_have_url(re.compile(texts.placed))
    order = Order.objects.get()
    assert (order.language, order.button_label) == (texts.language, texts.button)
    expect(page.locator("#order-number")).to_have_text(order.number)
    expect(page.get_by_role("link", name=texts.version).first).to_be_visible()
    shoot(page, journey, "4-placed")

    # Re-opening the link shows the order, never a form.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(texts.reopened)
    expect(page.get_by_role("button", name=texts.button)).to_have_count(0)
    shoot(page, journey, "5-reopened")
    assert Order.objects.count() == 1
    assert problems == []


def test_server_gate_holds_with_javascript_disabled(link, browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(link)
    page.get_by_role("button", name=BUTTON, exact=True).click()
    expect(page.get_by_text(ERROR)).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_attribute("aria-invalid", "true")
    assert Order.objects.count() == 0

    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=BUTTON, exact=True).click()
    expect(page).to_have_url(re.compile(r"/erteilt/$"))
    assert Order.objects.count() == 1
    context.close()


def _tab_to(page: Page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector('{selector}')"):
            return
    raise AssertionError(f"{selector} not reachable with Tab")


def test_order_with_the_keyboard_only(link, page: Page):
    page.goto(link)
    _tab_to(page, "#order-button")
    # The gated button stays focusable and says why it does nothing yet.
    expect(page.locator("#order-button")).to_have_attribute("aria-describedby", "order-hint")
    page.keyboard.press("Enter")
    expect(page.locator("#id_consent")).to_be_focused()
    expect(page.get_by_text(ERROR)).to_be_visible()

    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    _tab_to(page, "#order-button")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/erteilt/$"))
    assert Order.objects.count() == 1


def test_customer_switches_to_english_and_orders_there(link, page: Page):
    """A German link, the language switch at the top, the order in English."""
    page.goto(link)
    page.get_by_role("navigation", name="Sprache").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/order/[^/]+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Order with obligation to pay", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/order/[^/]+/placed/$"))
    order = Order.objects.get()
    assert (order.language, order.button_label) == ("en", "Order with obligation to pay")
