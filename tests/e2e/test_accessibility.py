"""Every customer page passes axe-core (WCAG 2.0/2.1 A and AA plus axe's best
practices) in Chromium at 1280 and at 320 px, and reflows at 320 px without
horizontal scrolling.

Pages: the info page (German, English), the order page in each state (fresh,
unticked error from the browser gate and from the server, outdated versions,
no documents, placed, status on re-opening, expired, revoked, unknown token),
the legal documents (German, English, German-binding fallback, a version
page), the contact form with its errors and the thank-you page, and the error
pages 404, 429, CSRF failure and 500.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Response, ViewportSize, expect

from legal.models import LegalDocument
from orders.models import SupportRequest
from tests.e2e.support import (
    assert_accessible,
    fill_in,
    horizontal_overflow_at_320,
    watch_console,
)
from tests.factories import order_offer, published_document, support_request

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = re.compile(r"^(kostenpflichtig bestellen|Order with obligation to pay)$")


def _order_link(live_server, language: str = "de", **fields) -> tuple[SupportRequest, str]:
    request, token = support_request(language=language, **fields)
    path = f"/auftrag/{token}/" if language == "de" else f"/en/order/{token}/"
    return request, live_server.url + path


def _status(response: Response | None) -> int:
    assert response is not None
    return response.status


def _submit_bypassing_the_gate(page: Page) -> None:
    """Send the form as a browser without JavaScript would (the server's own check)."""
    with page.expect_navigation():
        page.evaluate("document.getElementById('order-form').submit()")


def _legal_documents() -> None:
    from legal.initial import load_initial_documents
    from tests.factories import stub_pdf_renderer

    load_initial_documents(pdf_renderer=stub_pdf_renderer)


def _visit(name: str, path: str, prepare: Callable[[], object] = lambda: None):
    """A scenario that prepares the data and opens ``path``, named ``name``."""

    def scenario(live_server, page: Page) -> None:
        prepare()
        page.goto(live_server.url + path)

    scenario.__name__ = name
    return scenario


# Each scenario brings the page into one state; the test then runs axe on it.
info_de = _visit("info_de", "/", order_offer)
info_en = _visit("info_en", "/en/", order_offer)


def order_fresh(live_server, page: Page) -> None:
    order_offer()
    page.goto(_order_link(live_server)[1])
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()


def order_fresh_en(live_server, page: Page) -> None:
    order_offer()  # German documents only: the page says the German text is binding
    page.goto(_order_link(live_server, "en")[1])
    expect(page.get_by_role("button", name="Order with obligation to pay")).to_be_visible()
    # WCAG 3.1.2: the German titles on the English page are marked as German.
    titles = page.locator("section[aria-labelledby=documents-heading] ul a[lang=de]")
    expect(titles).to_have_count(2)


def order_unticked_browser_gate(live_server, page: Page) -> None:
    order_offer()
    page.goto(_order_link(live_server)[1])
    page.get_by_role("button", name=BUTTON).click()
    expect(page.locator("#consent-error")).to_be_visible()


def order_unticked_server(live_server, page: Page) -> None:
    order_offer()
    page.goto(_order_link(live_server)[1])
    _submit_bypassing_the_gate(page)
    checkbox = page.locator("#id_consent")
    expect(checkbox).to_have_attribute("aria-invalid", "true")
    expect(checkbox).to_have_attribute("aria-describedby", "consent-error")
    expect(checkbox).to_be_focused()  # the server's page puts focus on the box too
    expect(page.locator("#consent-error")).to_be_visible()


def order_stale_versions(live_server, page: Page) -> None:
    order_offer()
    page.goto(_order_link(live_server)[1])
    published_document(kind=LegalDocument.Kind.ASB, title="Allgemeine Servicebedingungen")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=BUTTON).click()
    expect(page.locator("#order-notice")).to_be_visible()


def order_unavailable(live_server, page: Page) -> None:
    page.goto(_order_link(live_server)[1])  # no documents, no tariff
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)


def order_placed(live_server, page: Page) -> str:
    order_offer()
    url = _order_link(live_server)[1]
    page.goto(url)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=BUTTON).click()
    expect(page).to_have_url(re.compile(r"/erteilt/$"))
    return url


def order_status_on_reopening(live_server, page: Page) -> None:
    url = order_placed(live_server, page)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("bereits erteilt")
    expect(page.locator("#order-status")).to_be_visible()


def order_expired(live_server, page: Page) -> None:
    request, url = _order_link(live_server)
    past = timezone.now() - timedelta(days=30)
    SupportRequest.objects.filter(pk=request.pk).update(
        created_at=past, expires_at=past + timedelta(days=14)
    )
    assert _status(page.goto(url)) == 410


def order_revoked(live_server, page: Page) -> None:
    from orders.services import support_request_revoke

    request, url = _order_link(live_server)
    support_request_revoke(support_request=request)
    assert _status(page.goto(url)) == 410


def order_unknown_token(live_server, page: Page) -> None:
    assert _status(page.goto(live_server.url + "/auftrag/kein-gueltiger-link/")) == 404


legal_asb_de = _visit("legal_asb_de", "/rechtliches/asb/", _legal_documents)
legal_privacy_en = _visit("legal_privacy_en", "/en/legal/privacy/", _legal_documents)


def legal_imprint_en_german_binding(live_server, page: Page) -> None:
    _legal_documents()
    page.goto(live_server.url + "/en/legal/imprint/")
    expect(page.get_by_role("note")).to_contain_text("German text is binding")


legal_version_page = _visit("legal_version_page", "/rechtliches/datenschutz/v1/", _legal_documents)
contact_form = _visit("contact_form", "/kontakt/")


def contact_errors(live_server, page: Page) -> None:
    page.goto(live_server.url + "/en/contact/")
    page.get_by_label("E-mail address").fill("not-an-address")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_be_visible()


def contact_thanks(live_server, page: Page) -> None:
    page.goto(live_server.url + "/kontakt/")
    fill_in(
        page,
        {
            "Name": "Erika Mustermann",
            "Firma": "Muster GmbH",
            "E-Mail-Adresse": "erika@muster.example",
            "Nachricht": "Bitte um Rückruf.",
        },
    )
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page).to_have_url(re.compile(r"/kontakt/danke/$"))


def error_404(live_server, page: Page) -> None:
    assert _status(page.goto(live_server.url + "/gibt-es-nicht/")) == 404


def error_429(live_server, page: Page, settings) -> None:
    settings.ORDER_LINK_RATE_LIMIT = "1/m"
    _request, url = _order_link(live_server)
    page.goto(url)
    assert _status(page.goto(url)) == 429


def error_csrf(live_server, page: Page) -> None:
    order_offer()
    page.goto(_order_link(live_server)[1])
    page.get_by_role("checkbox").check()
    page.evaluate(
        "document.querySelector('input[name=csrfmiddlewaretoken]').value = 'x'.repeat(64)"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.get_by_role("button", name=BUTTON).click()
    assert response.value.status == 403


def error_500(live_server, page: Page) -> None:
    """The 500 page as the handler renders it (no view here fails on purpose)."""
    from django.template import loader
    from django.utils import translation

    with translation.override("de"):
        html = loader.get_template("500.html").render()
    url = live_server.url + "/technischer-fehler/"
    page.route(url, lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
    assert _status(page.goto(url)) == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Technischer Fehler")


SCENARIOS: list[Callable[..., object]] = [
    info_de,
    info_en,
    order_fresh,
    order_fresh_en,
    order_unticked_browser_gate,
    order_unticked_server,
    order_stale_versions,
    order_unavailable,
    order_placed,
    order_status_on_reopening,
    order_expired,
    order_revoked,
    order_unknown_token,
    legal_asb_de,
    legal_privacy_en,
    legal_imprint_en_german_binding,
    legal_version_page,
    contact_form,
    contact_errors,
    contact_thanks,
    error_404,
    error_429,
    error_csrf,
    error_500,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_page_passes_axe_and_reflows_at_320_px(scenario, live_server, page: Page, settings):
    problems = watch_console(page)
    extra = {"settings": settings} if "settings" in inspect.signature(scenario).parameters else {}
    scenario(live_server, page, **extra)
    assert_accessible(page)
    assert horizontal_overflow_at_320(page) == 0, f"{page.url} scrolls sideways at 320 px"
    page.set_viewport_size(ViewportSize(width=320, height=640))
    assert_accessible(page)  # the narrow layout too (stacked columns, wrapped header)
    # The browser logs refused responses (403, 404, 410, 429) as errors; nothing else may.
    assert [p for p in problems if "status of" not in p] == []


FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    element: `${el.tagName}#${el.id} ${(el.textContent || el.name || "").trim().slice(0, 30)}`,
    outline: style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0,
    inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
  };
}"""


def _focus_stops(page: Page, limit: int = 60) -> list[dict]:
    """Tab through the page from the top; the focus ring of every stop."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring is None or (stops and ring["element"] == stops[0]["element"]):
            break
        stops.append(ring)
    return stops


@pytest.mark.parametrize("path", ["order", "/kontakt/", "/en/"])
def test_focus_is_visible_on_every_tab_stop(path, live_server, page: Page):
    order_offer()
    url = _order_link(live_server)[1] if path == "order" else live_server.url + path
    # Bootstrap scrolls smoothly unless reduced motion is asked for: the focused
    # element would still be on its way into view when measured.
    page.emulate_media(reduced_motion="reduce")
    page.goto(url)
    stops = _focus_stops(page)
    assert len(stops) >= 5, stops
    faint = [
        (s["element"], s["outline"], s["inView"])
        for s in stops
        if s["outline"] < 2 or not s["inView"]
    ]
    assert faint == [], f"focus not visible (outline under 2 px or off screen) on {faint}"
