"""The TeamViewer part of the customer's journey in Chromium: the order opens a
service case, the success page offers "Jetzt verbinden" with the session code;
while the case is being created the box says so and swaps itself in without a
reload once the case exists. axe-clean in both states."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from orders.models import Order
from teamviewer import services
from teamviewer.models import ServiceCase
from tests.e2e.support import assert_accessible, shoot, watch_console
from tests.factories import order_offer, support_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tv_fake(tv_fake, settings):
    """The shared fake (tests/conftest.py) with more time per call: the live
    server and the browser share the machine's cores."""
    settings.TEAMVIEWER_TIMEOUT_SECONDS = 2.0
    return tv_fake


def _order(page: Page, live_server, language: str = "de") -> Order:
    order_offer()
    _request, token = support_request(language=language)
    prefix = "/en/order/" if language == "en" else "/auftrag/"
    page.goto(f"{live_server.url}{prefix}{token}/")
    page.get_by_role("checkbox").check()
    button = "Order with obligation to pay" if language == "en" else "kostenpflichtig bestellen"
    page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_url(re.compile(r"/(erteilt|placed)/$"))
    return Order.objects.get()


def test_order_opens_a_case_and_the_success_page_offers_the_join_link(
    live_server, page: Page, tv_fake
):
    problems = watch_console(page)
    order = _order(page, live_server)
    case = ServiceCase.objects.get(order=order)
    assert case.status == ServiceCase.Status.OPEN
    join = page.get_by_role("link", name="Jetzt verbinden")
    expect(join).to_have_attribute("href", case.end_customer_link)
    expect(page.locator("#teamviewer-code")).to_have_text(case.code)
    assert_accessible(page)
    shoot(page, "teamviewer", "connect-de")
    # The join link leads to the (fake) TeamViewer page of this case.
    join.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("TeamViewer-Demo")
    assert problems == []


def test_being_prepared_then_the_box_swaps_in_without_reload(
    live_server, page: Page, tv_fake, browser: Browser
):
    problems = watch_console(page)
    tv_fake.fail("POST", "/sessions", status=503)
    order = _order(page, live_server, "en")
    status = page.locator("#teamviewer-preparing")
    expect(status).to_be_visible()
    expect(status).to_have_attribute("role", "status")
    assert_accessible(page)
    shoot(page, "teamviewer", "preparing-en")
    page.evaluate("window.__same_document = true")
    # One refresh while the case is still being created: the box is swapped for
    # the same "being prepared" box, and the page is not reloaded.
    with page.expect_response(lambda response: "/placed/" in response.url, timeout=15_000):
        pass
    page.wait_for_timeout(500)
    assert page.evaluate("window.__same_document") is True
    expect(status).to_be_visible()
    ServiceCase.objects.filter(order=order).update(next_attempt_at=timezone.now())
    case = services.case_open(case_id=order.teamviewer_case.pk)
    assert case is not None and case.status == ServiceCase.Status.OPEN
    join = page.get_by_role("link", name="Connect now")
    expect(join).to_be_visible(timeout=15_000)
    assert page.evaluate("window.__same_document") is True  # swapped, not reloaded
    expect(page.locator("#teamviewer-code")).to_have_text(case.code)
    assert_accessible(page)
    assert problems == []


def test_without_javascript_the_page_refreshes_itself(live_server, browser: Browser, tv_fake):
    tv_fake.fail("POST", "/sessions", status=503)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    order = _order(page, live_server)
    expect(page.locator("#teamviewer-preparing")).to_be_visible()
    ServiceCase.objects.filter(order=order).update(next_attempt_at=timezone.now())
    services.case_open(case_id=order.teamviewer_case.pk)
    expect(page.get_by_role("link", name="Jetzt verbinden")).to_be_visible(timeout=15_000)
    context.close()
