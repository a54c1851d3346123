"""The customer's order journey in Chromium: open the e-mailed link, read the
ASB, press the button unticked, tick, order, see the success page, re-open the
link. Also with JavaScript disabled (the server gate holds) and keyboard only."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from orders.models import Order
from tests.factories import order_offer, support_request

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = "kostenpflichtig bestellen"
ERROR = "Bitte bestätigen Sie mit dem Häkchen"


@pytest.fixture
def link(live_server):
    order_offer()
    _request, token = support_request()
    return f"{live_server.url}/auftrag/{token}/"


def watch_console(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_whole_order_journey(link, page: Page):
    problems = watch_console(page)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remote-Support")
    expect(page.get_by_text("Maschinenbau Muster GmbH").first).to_be_visible()

    # The ASB from the checkbox label, then back.
    page.locator("label[for=id_consent]").get_by_role(
        "link", name="Allgemeinen Servicebedingungen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Allgemeine Servicebedingungen")
    page.go_back()

    button = page.get_by_role("button", name=BUTTON, exact=True)
    expect(button).to_have_count(1)
    expect(button).to_be_enabled()
    checkbox = page.get_by_role("checkbox")
    expect(checkbox).to_have_count(1)
    expect(checkbox).not_to_be_checked()

    # Unticked: nothing is sent, the error is tied to the box and focus moves there.
    button.click()
    expect(page.get_by_text(ERROR)).to_be_visible()
    expect(checkbox).to_be_focused()
    expect(checkbox).to_have_attribute("aria-invalid", "true")
    assert Order.objects.count() == 0

    checkbox.check()
    expect(page.get_by_text(ERROR)).to_be_hidden()
    button.click()
    expect(page).to_have_url(re.compile(r"/erteilt/$"))
    order = Order.objects.get()
    expect(page.locator("#order-number")).to_have_text(order.number)
    expect(page.get_by_role("link", name="Version 1").first).to_be_visible()

    # Re-opening the link shows the order, never a form.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("bereits erteilt")
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)
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


def test_english_journey_uses_the_english_button(live_server, page: Page):
    order_offer()
    _request, token = support_request(language="en")
    page.goto(f"{live_server.url}/en/order/{token}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Order with obligation to pay", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/order/.+/placed/$"))
    assert Order.objects.get().button_label == "Order with obligation to pay"
