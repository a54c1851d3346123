"""The English pages and the English e-mail read English from top to bottom.

The catalogue tests prove every marked string has an English text; this test
looks at what a customer actually gets under ``/en/``: no German word may
appear outside an element marked ``lang="de"`` (German-only documents and
their titles, shown with the note that the German text is binding).
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.utils import timezone

from orders.models import SupportRequest
from tests.factories import order_offer, support_request

pytestmark = pytest.mark.django_db

GERMAN = re.compile(
    r"\b(der|die|das|und|nicht|Sie|Ihr|Ihre|Ihren|bitte|Bitte|ist|wird|werden|für|oder|eine|"
    r"kein|keine|zum|zur|mit|bei|Auftrag|Bestellung|bestellen|zzgl|Uhr|Januar|Februar|März|"
    r"Juni|Juli|Oktober|Dezember|Datenschutz|Impressum|Kontakt|Seite)\b"
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _EnglishText(HTMLParser):
    """Visible text outside <script>, <style> and any element with lang="de"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._stack: list[bool] = []  # per open element: does it hide its content?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        hidden = tag in {"script", "style", "title"} or dict(attrs).get("lang") == "de"
        self._stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not any(self._stack):
            self.text.append(data)


def german_words(html: str) -> list[str]:
    parser = _EnglishText()
    parser.feed(html)
    text = " ".join(" ".join(parser.text).split())
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in GERMAN.finditer(text)]


def test_the_check_finds_german_and_skips_marked_german() -> None:
    html = '<p>Order now</p><p lang="de">Bitte <b>nicht</b> hier</p><p>Bitte hier</p>'
    assert german_words(html) == ["Order now Bitte hier"]


@pytest.fixture
def english_link(client):
    order_offer()  # German documents only: their titles are marked lang="de"
    request, token = support_request(language="en")
    return request, f"/en/order/{token}/"


def _assert_english(response, expected_status: int = 200) -> None:
    assert response.status_code == expected_status
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert german_words(html) == [], response.request["PATH_INFO"]


def test_english_info_contact_and_error_pages_read_english(client):
    order_offer()
    german_page = client.get("/").content.decode().replace('<html lang="de">', "<html>")
    assert len(german_words(german_page)) > 10  # the check would catch a German page
    _assert_english(client.get("/en/"))
    _assert_english(client.get("/en/contact/"))
    _assert_english(client.post("/en/contact/", {"email": "not-an-address"}))
    _assert_english(client.get("/en/contact/thank-you/"))
    _assert_english(client.get("/en/no-such-page/"), 404)
    _assert_english(client.get("/en/order/no-such-token/"), 404)


def test_english_order_page_in_each_state_reads_english(client, english_link):
    _request, url = english_link
    _assert_english(client.get(url))
    page = client.get(url).content.decode()
    hidden = dict(re.findall(r'name="(\w+_version)" value="(\d+)"', page))
    unticked = client.post(url, hidden)
    _assert_english(unticked)
    assert "Please tick the box" in unticked.content.decode()
    placed = client.post(url, {**hidden, "consent": "on"}, follow=True)
    _assert_english(placed)
    assert "your order has been placed" in placed.content.decode()
    reopened = client.get(url)
    _assert_english(reopened)
    assert "already been placed" in reopened.content.decode()


def test_english_expired_and_revoked_links_read_english(client):
    from orders.services import support_request_revoke

    order_offer()
    expired, expired_token = support_request(language="en")
    past = timezone.now() - timedelta(days=30)
    SupportRequest.objects.filter(pk=expired.pk).update(
        created_at=past, expires_at=past + timedelta(days=14)
    )
    _assert_english(client.get(f"/en/order/{expired_token}/"), 410)
    revoked, revoked_token = support_request(language="en")
    support_request_revoke(support_request=revoked)
    _assert_english(client.get(f"/en/order/{revoked_token}/"), 410)


def test_english_request_email_reads_english(django_capture_on_commit_callbacks):
    order_offer()
    with django_capture_on_commit_callbacks(execute=True):
        support_request(language="en", send_email=True)
    message = mail.outbox[0]
    assert "/en/order/" in str(message.body)
    body = str(message.body).replace("Lenze SE", "")
    assert [m.group(0) for m in GERMAN.finditer(f"{message.subject}\n{body}")] == []
