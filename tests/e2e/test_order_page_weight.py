"""The order page loads only from the portal itself, and it is light.

Chromium records every request the order page makes (loading, the unticked
attempt, ticking, ordering, the success page); any request to another origin
fails the test: under German privacy law a third-party font, script or CDN
would itself need the customer's consent.

Weight: what a browser downloads for the order page in production. Static
files are measured as WhiteNoise serves them after ``collectstatic`` with
``CompressedManifestStaticFilesStorage``: the same ``whitenoise.compress``
code produces the Brotli and gzip variants, and WhiteNoise serves Brotli to a
browser that accepts it (Chromium does) when it saves at least 5 %. The HTML
is counted uncompressed: the portal does not compress HTML (the order page
carries the link's secret and a CSRF token, which compression over TLS would
expose to BREACH-style attacks). The figure goes into docs/benchmarks.md
("Order page weight").
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from playwright.sync_api import Page, Request, expect
from whitenoise.compress import Compressor

from tests.factories import order_offer, support_request

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 100 * 1024
BUTTON = "kostenpflichtig bestellen"


@dataclass(frozen=True)
class Transfer:
    url: str
    kind: str
    raw: int
    served: int


def served_size(data: bytes, name: str) -> int:
    """Bytes WhiteNoise sends for this static file to a browser accepting br and gzip."""
    compressor = Compressor(quiet=True)
    if not compressor.should_compress(name):
        return len(data)
    brotli = compressor.compress_brotli(data) if compressor.use_brotli else None
    if brotli is not None and len(brotli) <= 0.95 * len(data):
        return len(brotli)
    if brotli is not None:  # WhiteNoise: if Brotli is not effective, gzip is not tried
        return len(data)
    gzipped = compressor.compress_gzip(data)
    return len(gzipped) if len(gzipped) <= 0.95 * len(data) else len(data)


def _static_file(path: str) -> bytes:
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    assert path.startswith(prefix), path
    found = finders.find(path[len(prefix) :])
    assert found, f"{path} is not a static file"
    with open(str(found), "rb") as fh:
        return fh.read()


def order_page_transfers(page: Page, url: str) -> list[Transfer]:
    """Load the order page in a fresh browser context (empty cache) and measure it."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url)
    page.wait_for_load_state("load")
    transfers = []
    for response in responses:
        path = urlsplit(response.url).path
        kind = response.request.resource_type
        label = "/auftrag/<token>/" if kind == "document" else path
        if kind == "document":
            body = response.body()
            transfers.append(Transfer(label, kind, len(body), len(body)))
        else:
            data = _static_file(path)
            transfers.append(Transfer(path, kind, len(data), served_size(data, path)))
    return transfers


def test_order_page_requests_nothing_from_another_origin(live_server, page: Page):
    order_offer()
    _request, token = support_request()
    origin = urlsplit(live_server.url)
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))

    page.goto(f"{live_server.url}/auftrag/{token}/")
    page.get_by_role("button", name=BUTTON).click()  # unticked: the gate's error
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=BUTTON).click()
    expect(page.locator("#order-number")).to_be_visible()
    page.wait_for_load_state("load")

    urls = [r.url for r in requests if not r.url.startswith("data:")]
    foreign = [u for u in urls if urlsplit(u)[:2] != origin[:2]]
    assert foreign == [], f"requests leaving {live_server.url}: {foreign}"
    kinds = {r.resource_type for r in requests}
    assert {"document", "stylesheet", "script"} <= kinds  # the recording works


def test_detector_reports_a_request_to_another_origin(live_server, page: Page):
    """The check above can fail: a page that loads a foreign script is caught."""
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.route("https://cdn.example.net/**", lambda route: route.fulfill(body="", status=200))
    page.route(
        live_server.url + "/probe/",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><script src="https://cdn.example.net/lib.js"></script>',
        ),
    )
    page.goto(live_server.url + "/probe/")
    assert any(urlsplit(r.url).netloc == "cdn.example.net" for r in requests)


def test_order_page_transfers_less_than_100_kb(live_server, page: Page):
    order_offer()
    _request, token = support_request()
    transfers = order_page_transfers(page, f"{live_server.url}/auftrag/{token}/")

    kinds = {t.kind for t in transfers}
    assert {"document", "stylesheet", "script"} <= kinds, transfers
    total = sum(t.served for t in transfers)
    html = next(t for t in transfers if t.kind == "document")
    lines = [
        f"{t.served / 1024:7.1f} KiB  (raw {t.raw / 1024:6.1f} KiB)  {t.url}" for t in transfers
    ]
    html_gzip = len(gzip.compress(page.content().encode(), compresslevel=6))
    print(
        "\nOrder page weight (as served in production):\n"
        + "\n".join(lines)
        + f"\n{total / 1024:7.1f} KiB in {len(transfers)} requests"
        + f" (HTML {html.raw / 1024:.1f} KiB uncompressed, {html_gzip / 1024:.1f} KiB if gzipped)"
    )
    assert total < BUDGET, f"order page weighs {total / 1024:.1f} KiB (budget 100 KB)"


def test_served_size_uses_brotli_like_whitenoise():
    css = b"body { color: #212529; }\n" * 400
    assert served_size(css, "/static/x.css") < len(css) / 10
    png = bytes(range(256)) * 4
    assert served_size(png, "/static/x.png") == len(png)  # images are never compressed
