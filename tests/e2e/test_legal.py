"""A customer opens the ASB from the footer and saves its PDF, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from legal.initial import load_initial_documents
from legal.models import LegalDocument

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_asb_from_footer_and_download_its_pdf(live_server, page: Page):
    load_initial_documents()
    asb = LegalDocument.objects.published().get(kind="asb", language="de")

    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="ASB").click()
    expect(page).to_have_url(re.compile(r"/rechtliches/asb/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(asb.title)
    expect(page.get_by_text(asb.sha256)).to_be_visible()
    expect(page.get_by_role("heading", name="§ 4 Preise und Abrechnung")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"Version 1 als PDF herunterladen")).click()
    download = info.value
    assert download.suggested_filename == "Lenze-ASB-de-v1.pdf"
    with open(download.path(), "rb") as fh:
        saved = fh.read()
    assert saved.startswith(b"%PDF-")
    assert saved == bytes(LegalDocument.objects.get(pk=asb.pk).pdf)


def test_english_imprint_from_footer_says_german_text_is_binding(live_server, page: Page):
    load_initial_documents()
    page.goto(live_server.url + "/en/")
    page.get_by_role("contentinfo").get_by_role("link", name="Imprint").click()
    expect(page).to_have_url(re.compile(r"/en/legal/imprint/$"))
    expect(page.get_by_role("note").filter(has_text="German text is binding")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impressum")
    page.get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile(r"/rechtliches/impressum/$"))
